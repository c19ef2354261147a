package dev.zoomscheduler.events;

/**
 * One SQS message of a batch: what the queue-processing code needs of it.
 *
 * @param receiptHandle and {@code queueArn}: to change its visibility (hold it back)
 */
public record QueueMessage(String messageId, String body, int receiveCount, String receiptHandle, String queueArn) {
}
