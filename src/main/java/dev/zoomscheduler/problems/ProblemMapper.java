package dev.zoomscheduler.problems;

import java.time.Duration;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.observability.Metrics;
import software.amazon.awssdk.core.exception.SdkException;

/** Answers every failure of the HTTP API as an {@code application/problem+json} document. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    private final ObjectMapper json;
    private final Metrics metrics;

    public ProblemMapper(ObjectMapper json, Metrics metrics) {
        this.json = json;
        this.metrics = metrics;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        if (e.status() >= 500) {
            LOG.warnf("Answered %d %s: %s", e.status(), e.type().uri(), e.getMessage());
        }
        return answer(e.toProblem(), e.retryAfter());
    }

    /** Routing and content negotiation failures of the framework: unknown route, wrong method, and the like. */
    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        ProblemType type = switch (status) {
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            default -> status < 500 ? ProblemType.INVALID_REQUEST : ProblemType.INTERNAL;
        };
        String detail = switch (status) {
            case 404 -> "No route matches this path; see docs/http-api.md for the routes.";
            case 405 -> "This route does not accept this method.";
            default -> type.title() + ".";
        };
        Response.ResponseBuilder answer = builder(new Problem(type.uri(), type.title(), status, detail, null, null), null);
        String allow = original.getHeaderString(HttpHeaders.ALLOW);
        if (allow != null) {
            answer.header(HttpHeaders.ALLOW, allow);
        }
        return answer.build();
    }

    /** DynamoDB unreachable or throttled past the SDK's retries: a passing condition, so 503 with a wait. */
    @ServerExceptionMapper
    public Response store(SdkException e) {
        LOG.warnf("DynamoDB failed: %s", e.getClass().getSimpleName());
        ProblemException unavailable = ProblemException.storeUnavailable();
        return answer(unavailable.toProblem(), unavailable.retryAfter());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("Unexpected failure", e);
        ProblemType type = ProblemType.INTERNAL;
        return answer(new Problem(type.uri(), type.title(), type.status(), "The request failed unexpectedly.", null, null), null);
    }

    private Response answer(Problem problem, Duration retryAfter) {
        return builder(problem, retryAfter).build();
    }

    private Response.ResponseBuilder builder(Problem problem, Duration retryAfter) {
        metrics.count("Problems", "Type", problem.type().substring(problem.type().lastIndexOf('/') + 1));
        Response.ResponseBuilder answer = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(serialize(problem));
        if (retryAfter != null) {
            answer.header(HttpHeaders.RETRY_AFTER, retryAfterSeconds(retryAfter));
        }
        return answer;
    }

    private String serialize(Problem problem) {
        try {
            return json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A problem document could not be written", e);
        }
    }

    /** Our {@code Retry-After}: whole seconds, rounded up, at least 1. */
    static String retryAfterSeconds(Duration wait) {
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Long.toString(Math.max(1, seconds));
    }
}
