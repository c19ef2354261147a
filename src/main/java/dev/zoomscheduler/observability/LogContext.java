package dev.zoomscheduler.observability;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.amazonaws.services.lambda.runtime.Context;

import dev.zoomscheduler.tokens.ConnectionIds;

/**
 * Puts the Lambda request id and the connection id in the logging context (MDC) of each invocation, so that every log
 * line of it carries them (JSON logs in Lambda).
 */
public class LogContext {

    public static final String REQUEST_ID = "requestId";
    public static final String CONNECTION_ID = "connectionId";
    public static final String MESSAGE_ID = "messageId";

    @Inject
    Context lambda;

    @ServerRequestFilter
    public void begin(ContainerRequestContext request) {
        MDC.put(REQUEST_ID, lambda.getAwsRequestId());
        List<String> connection = request.getHeaders().get(ConnectionIds.HEADER);
        if (connection != null && connection.size() == 1 && ConnectionIds.isValid(connection.get(0))) {
            MDC.put(CONNECTION_ID, connection.get(0));
        } else if (connection == null) {
            MDC.put(CONNECTION_ID, ConnectionIds.DEFAULT);
        }
    }

    @ServerResponseFilter
    public void end() {
        MDC.clear();
    }

    /** For the rest of an invocation that turned out to be about {@code connectionId} (an install's callback names none). */
    public static void connection(String connectionId) {
        MDC.put(CONNECTION_ID, connectionId);
    }

    /** For work that is about one connection and one queued message within an invocation (a batch). */
    public static void message(String messageId, String connectionId) {
        MDC.put(MESSAGE_ID, messageId);
        if (connectionId != null) {
            MDC.put(CONNECTION_ID, connectionId);
        } else {
            MDC.remove(CONNECTION_ID);
        }
    }

    public static void messageDone() {
        MDC.remove(MESSAGE_ID);
        MDC.remove(CONNECTION_ID);
    }
}
