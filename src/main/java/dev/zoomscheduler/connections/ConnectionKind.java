package dev.zoomscheduler.connections;

/** How a connection gets its access tokens. An item written by hand without a kind is a user connection. */
public enum ConnectionKind {
    /** A user authorised the app (authorisation-code grant): a rotating refresh token renews the access token. */
    USER("user"),
    /** Server-to-Server OAuth: the {@code account_credentials} grant for an account id; there is no refresh token. */
    ACCOUNT("account");

    private final String attributeValue;

    ConnectionKind(String attributeValue) {
        this.attributeValue = attributeValue;
    }

    public String attributeValue() {
        return attributeValue;
    }

    public static ConnectionKind fromAttribute(String value) {
        return ACCOUNT.attributeValue.equals(value) ? ACCOUNT : USER;
    }
}
