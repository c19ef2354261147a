package dev.zoomscheduler.outcomes;

/**
 * One outcome event, ready to publish: its EventBridge {@code detail-type} and {@code detail} (JSON, with its stable
 * {@code eventId}). Kept as it is in the request record while it is unpublished, so a later publish sends the same event.
 */
public record OutcomeEvent(String detailType, String detail) {
}
