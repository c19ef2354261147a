package dev.zoomscheduler.events;

/** One SQS message of a batch: what the queue-processing code needs of it. */
public record QueueMessage(String messageId, String body, int receiveCount) {
}
