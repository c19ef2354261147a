package dev.zoomscheduler.connections;

import dev.zoomscheduler.dynamodb.StoredEnum;

/** Whether a connection can be used. An item written by hand without a status is active. */
public enum ConnectionStatus implements StoredEnum {
    ACTIVE,
    /** Zoom refused the refresh token for good; only a new authorisation (a new refresh token) revives it. */
    REAUTHORIZATION_REQUIRED,
    /** The user removed the app at Zoom ({@code app_deauthorized}); its tokens were deleted. */
    REVOKED
}
