package dev.zoomscheduler.zoom;

import java.time.Instant;

/** Where {@link ZoomCaller} gets a connection's access token, and a replacement for one that Zoom refused. */
public interface AccessTokens {

    /** A valid access token of the connection, obtained before {@code deadline} (the invocation's end). */
    String accessToken(String connectionId, Instant deadline);

    /** A replacement for an access token that Zoom refused (401, code 124) although it was believed valid. */
    String replaceRejected(String connectionId, String rejectedAccessToken, Instant deadline);
}
