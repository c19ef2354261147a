package dev.zoomscheduler.idempotency;

/** The state of a request record. */
public enum RequestStatus {
    IN_PROGRESS("in_progress"),
    COMPLETED("completed"),
    FAILED("failed");

    private final String attributeValue;

    RequestStatus(String attributeValue) {
        this.attributeValue = attributeValue;
    }

    public String attributeValue() {
        return attributeValue;
    }

    public static RequestStatus fromAttribute(String value) {
        for (RequestStatus status : values()) {
            if (status.attributeValue.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("Unknown request status " + value);
    }
}
