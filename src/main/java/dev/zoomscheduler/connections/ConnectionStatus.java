package dev.zoomscheduler.connections;

/** Whether a connection can be used. An item written by hand without a status is active. */
public enum ConnectionStatus {
    ACTIVE("active"),
    /** Zoom refused the refresh token for good; only a new authorisation (a new refresh token) revives it. */
    REAUTHORIZATION_REQUIRED("reauthorization_required"),
    /** The user removed the app at Zoom ({@code app_deauthorized}); its tokens were deleted. */
    REVOKED("revoked");

    private final String attributeValue;

    ConnectionStatus(String attributeValue) {
        this.attributeValue = attributeValue;
    }

    public String attributeValue() {
        return attributeValue;
    }

    public static ConnectionStatus fromAttribute(String value) {
        for (ConnectionStatus status : values()) {
            if (status.attributeValue.equals(value)) {
                return status;
            }
        }
        return ACTIVE;
    }
}
