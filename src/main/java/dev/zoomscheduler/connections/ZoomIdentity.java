package dev.zoomscheduler.connections;

/** Who authorised the app, as Zoom's {@code GET /users/me} tells it; either part may be null if Zoom did not say. */
public record ZoomIdentity(String userId, String accountId) {

    public static final ZoomIdentity UNKNOWN = new ZoomIdentity(null, null);
}
