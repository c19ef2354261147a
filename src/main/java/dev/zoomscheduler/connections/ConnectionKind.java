package dev.zoomscheduler.connections;

import dev.zoomscheduler.dynamodb.StoredEnum;

/** How a connection gets its access tokens. An item written by hand without a kind is a user connection. */
public enum ConnectionKind implements StoredEnum {
    /** A user authorised the app (authorisation-code grant): a rotating refresh token renews the access token. */
    USER,
    /** Server-to-Server OAuth: the {@code account_credentials} grant for an account id; there is no refresh token. */
    ACCOUNT
}
