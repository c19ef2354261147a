package dev.zoomscheduler.observability;

import org.jboss.logging.MDC;

/**
 * The logging context (MDC) of an invocation: its Lambda request id, the connection and the queued message it is about,
 * so that every log line carries them (JSON logs in Lambda).
 */
public final class LogContext {

    public static final String REQUEST_ID = "requestId";
    public static final String CONNECTION_ID = "connectionId";
    public static final String MESSAGE_ID = "messageId";

    private LogContext() {
    }

    /** An invocation begins, about {@code connectionId} (null: none known yet). */
    public static void invocation(String requestId, String connectionId) {
        MDC.put(REQUEST_ID, requestId);
        if (connectionId != null) {
            MDC.put(CONNECTION_ID, connectionId);
        }
    }

    /** The invocation has ended: nothing of it is left for the next one. */
    public static void clear() {
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
