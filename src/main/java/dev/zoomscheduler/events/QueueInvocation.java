package dev.zoomscheduler.events;

/**
 * Whether the invocation being handled on this thread is an SQS batch: set when its event is read, taken when its
 * response is written. Both happen on the same thread in Quarkus' poll loop and stream handler (a test guards this).
 */
final class QueueInvocation {

    private static final ThreadLocal<Boolean> SQS_BATCH = new ThreadLocal<>();

    private QueueInvocation() {
    }

    static void began(boolean sqsBatch) {
        SQS_BATCH.set(sqsBatch);
    }

    /** Whether the invocation whose response is being written is an SQS batch; forgets it. */
    static boolean endingSqsBatch() {
        boolean sqsBatch = Boolean.TRUE.equals(SQS_BATCH.get());
        SQS_BATCH.remove();
        return sqsBatch;
    }
}
