package dev.zoomscheduler.events;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import dev.zoomscheduler.time.InvocationDeadline;
import io.quarkus.arc.ClientProxy;

/**
 * Where {@link SqsBatchSeam} delivers an SQS batch. It answers SQS's partial batch response, marked so that the seam
 * writes it as the invocation's result. An HTTP request to this path is not a batch and is answered 404.
 */
@Path(QueueBatchResource.PATH)
public class QueueBatchResource {

    static final String PATH = "/_internal/sqs-batch";
    static final String BATCH_RESPONSE_HEADER = "X-Sqs-Batch-Response";

    private final QueueProcessor processor;
    private final InvocationDeadline deadline;

    public QueueBatchResource(QueueProcessor processor, InvocationDeadline deadline) {
        this.processor = processor;
        this.deadline = deadline;
    }

    @Operation(hidden = true) // not a route of the API: only the seam reaches it
    @POST
    public Response process(@Context APIGatewayV2HTTPEvent event, @Context com.amazonaws.services.lambda.runtime.Context lambda) {
        // The injected event is a request-scoped proxy: its own type is only seen once unwrapped.
        if (!(ClientProxy.unwrap(event) instanceof SqsBatchEvent batch)) {
            throw new NotFoundException();
        }
        List<String> retry = processor.process(batch.messages(), deadline.of(lambda));
        SqsBatchResponse answer = new SqsBatchResponse(retry.stream().map(SqsBatchResponse.BatchItemFailure::new).toList());
        return Response.ok(answer, MediaType.APPLICATION_JSON_TYPE).header(BATCH_RESPONSE_HEADER, "true").build();
    }

    /** The batch response this resource put in an HTTP response, or null if the response is anything else (an error). */
    static String batchResponseIn(APIGatewayV2HTTPResponse response) {
        if (response.getStatusCode() != 200 || !marked(response.getHeaders()) && !markedMulti(response.getMultiValueHeaders())) {
            return null;
        }
        String body = response.getBody();
        return response.getIsBase64Encoded() ? new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8) : body;
    }

    private static boolean marked(Map<String, String> headers) {
        return headers != null && headers.keySet().stream().anyMatch(BATCH_RESPONSE_HEADER::equalsIgnoreCase);
    }

    private static boolean markedMulti(Map<String, List<String>> headers) {
        return headers != null && headers.keySet().stream().anyMatch(BATCH_RESPONSE_HEADER::equalsIgnoreCase);
    }
}
