package dev.zoomscheduler.events;

import java.io.IOException;

import jakarta.inject.Singleton;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.ResolvableDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.ResolvableSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * The one place where the function becomes an SQS consumer as well as an HTTP API. {@code quarkus-amazon-lambda-http}
 * reads every Lambda event as an API Gateway HTTP event and writes every result as an HTTP response, with a copy of
 * the application's ObjectMapper; this customizer teaches that mapper two things:
 * <ul>
 * <li>reading: an event with SQS records becomes a {@link SqsBatchEvent}, which the HTTP extension dispatches to
 * {@link QueueBatchResource}; any other event is read by Jackson's own deserializer, unchanged;</li>
 * <li>writing: the result of an SQS invocation is written as the batch response that resource made. Anything else
 * (an error page, a 500) must not reach SQS, which would take an answer without {@code batchItemFailures} as "all
 * succeeded": writing fails instead, the invocation errs, and SQS delivers the whole batch again.</li>
 * </ul>
 * In a native image the mapper is built at build time, so these (de)serializers hold no runtime state.
 */
@Singleton
public class SqsBatchSeam implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("sqs-batch-seam");
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription bean, JsonDeserializer<?> deserializer) {
                return bean.getBeanClass() == APIGatewayV2HTTPEvent.class ? new EventReader(deserializer) : deserializer;
            }
        });
        module.setSerializerModifier(new BeanSerializerModifier() {
            @Override
            @SuppressWarnings("unchecked")
            public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription bean, JsonSerializer<?> serializer) {
                return bean.getBeanClass() == APIGatewayV2HTTPResponse.class
                        ? new ResponseWriter((JsonSerializer<APIGatewayV2HTTPResponse>) serializer)
                        : serializer;
            }
        });
        mapper.registerModule(module);
    }

    /** Reads an SQS batch as a {@link SqsBatchEvent}; hands every other event to Jackson's deserializer. */
    static final class EventReader extends StdDeserializer<APIGatewayV2HTTPEvent> implements ResolvableDeserializer {

        private final JsonDeserializer<?> httpEvents;

        EventReader(JsonDeserializer<?> httpEvents) {
            super(APIGatewayV2HTTPEvent.class);
            this.httpEvents = httpEvents;
        }

        @Override
        public APIGatewayV2HTTPEvent deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode event = context.readTree(parser);
            boolean sqsBatch = SqsBatchEvent.isSqsBatch(event);
            QueueInvocation.began(sqsBatch);
            if (sqsBatch) {
                return SqsBatchEvent.from(event);
            }
            try (JsonParser replay = event.traverse(parser.getCodec())) {
                replay.nextToken();
                return (APIGatewayV2HTTPEvent) httpEvents.deserialize(replay, context);
            }
        }

        @Override
        public void resolve(DeserializationContext context) throws JsonMappingException {
            if (httpEvents instanceof ResolvableDeserializer resolvable) {
                resolvable.resolve(context);
            }
        }
    }

    /** Writes an SQS invocation's batch response, or fails it; writes every HTTP response with Jackson's serializer. */
    static final class ResponseWriter extends StdSerializer<APIGatewayV2HTTPResponse> implements ResolvableSerializer {

        private final JsonSerializer<APIGatewayV2HTTPResponse> httpResponses;

        ResponseWriter(JsonSerializer<APIGatewayV2HTTPResponse> httpResponses) {
            super(APIGatewayV2HTTPResponse.class);
            this.httpResponses = httpResponses;
        }

        @Override
        public void serialize(APIGatewayV2HTTPResponse response, JsonGenerator generator, SerializerProvider provider) throws IOException {
            if (!QueueInvocation.endingSqsBatch()) {
                httpResponses.serialize(response, generator, provider);
                return;
            }
            String batchResponse = QueueBatchResource.batchResponseIn(response);
            if (batchResponse == null) {
                throw JsonMappingException.from(generator, "An SQS batch ended without a batch response (status "
                        + response.getStatusCode() + "); failing the invocation so that SQS delivers the batch again");
            }
            generator.writeRawValue(batchResponse);
        }

        @Override
        public void resolve(SerializerProvider provider) throws JsonMappingException {
            if (httpResponses instanceof ResolvableSerializer resolvable) {
                resolvable.resolve(provider);
            }
        }
    }
}
