package dev.zoomscheduler.idempotency;

/**
 * What a request record says of its request besides the outcome.
 *
 * @param fingerprint equal for equal requests, whatever entry point they came by
 * @param operation {@code create}, {@code update} or {@code delete}
 * @param meetingId the meeting it acts on, null for a create
 * @param occurrenceId the one occurrence of a recurring meeting it acts on, null for the whole meeting
 */
public record RequestDescription(String fingerprint, String operation, String connectionId, String meetingId, String occurrenceId) {
}
