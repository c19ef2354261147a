package dev.zoomscheduler.tokens;

import static dev.zoomscheduler.dynamodb.Attributes.n;
import static dev.zoomscheduler.dynamodb.Attributes.number;
import static dev.zoomscheduler.dynamodb.Attributes.s;
import static dev.zoomscheduler.dynamodb.Attributes.string;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.zoomscheduler.connections.ConnectionError;
import dev.zoomscheduler.connections.ConnectionInfo;
import dev.zoomscheduler.connections.ConnectionKind;
import dev.zoomscheduler.connections.ConnectionStatus;
import dev.zoomscheduler.dynamodb.StoredEnum;
import dev.zoomscheduler.dynamodb.Update;
import dev.zoomscheduler.tokens.TokenStore.WriteOutcome;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The token table's items (layout in docs/configuration.md): attribute names, keys, the versioned write every store of the
 * table makes, and what an item reads as. Both stores of the table, {@link DynamoDbTokenStore} and
 * {@link DynamoDbConnectionStore}, use the low-level client only: no bean schema, nothing reflective, so they work unchanged
 * in a native image. Descriptions project the tokens away, so they are never even read for them.
 */
final class TokenItems {

    static final String CONNECTION_ID = "connectionId";
    static final String ACCESS_TOKEN = "accessToken";
    static final String REFRESH_TOKEN = "refreshToken";
    static final String EXPIRES_AT = "expiresAt";
    static final String VERSION = "version";
    static final String STATUS = "status";
    static final String KIND = "kind";
    static final String ACCOUNT_ID = "accountId";
    static final String SCOPE = "scope";
    static final String LEASE_OWNER = "refreshLeaseOwner";
    static final String LEASE_UNTIL = "refreshLeaseUntil";
    static final String REFRESHED_AT = "refreshedAt";
    static final String AUTHORIZED_AT = "authorizedAt";
    static final String ZOOM_USER_ID = "zoomUserId";
    static final String ZOOM_ACCOUNT_ID = "zoomAccountId";
    static final String UPDATED_AT = "updatedAt";
    static final String WRITE_ID = "writeId";
    static final String AUTHORIZATION_ID = "authorizationId";
    static final String LAST_ERROR_REASON = "lastErrorReason";
    static final String LAST_ERROR_DETAIL = "lastErrorDetail";
    static final String LAST_ERROR_AT = "lastErrorAt";
    static final String EVENT_PENDING = "reauthorizationEventPending";

    /** Every attribute of a description: all but the tokens and the lease. */
    private static final List<String> DESCRIBED = List.of(CONNECTION_ID, KIND, STATUS, ACCOUNT_ID, SCOPE, EXPIRES_AT, REFRESHED_AT,
            AUTHORIZED_AT, ZOOM_USER_ID, ZOOM_ACCOUNT_ID, VERSION, LAST_ERROR_REASON, LAST_ERROR_DETAIL, LAST_ERROR_AT, EVENT_PENDING);
    private static final String PROJECTION = String.join(", ", DESCRIBED.stream().map(name -> "#" + name).toList());
    private static final Map<String, String> PROJECTION_NAMES = DESCRIBED.stream()
            .collect(Collectors.toUnmodifiableMap(name -> "#" + name, name -> name));

    private TokenItems() {
    }

    static Map<String, AttributeValue> key(String connectionId) {
        return Map.of(CONNECTION_ID, s(connectionId));
    }

    /**
     * An update of a connection's item that bumps its version, conditional on the version seen. Version 0 stands for an item
     * without {@code version} (none yet, or one an operator seeded by hand without it), which so can be written like any other.
     */
    static Update versioned(String connectionId, long seenVersion) {
        return new Update(key(connectionId)).set(VERSION, n(seenVersion + 1)).when(versionIs(seenVersion))
                .value(":seenVersion", n(seenVersion));
    }

    static String versionIs(long seenVersion) {
        return seenVersion == 0 ? "attribute_not_exists(#" + VERSION + ") OR #" + VERSION + " = :seenVersion"
                : "#" + VERSION + " = :seenVersion";
    }

    /**
     * Writes {@code update}, named by {@code writeId}: the item after it, or as the failed condition found it; a repeat that
     * meets its own earlier attempt counts as applied ({@link WriteOutcome#conditionFailed}).
     */
    static WriteOutcome write(DynamoDbClient dynamo, String table, Update update, String writeId) {
        update.set(UPDATED_AT, n(Instant.now().getEpochSecond())).set(WRITE_ID, s(writeId));
        try {
            return new WriteOutcome(true, toToken(dynamo.updateItem(update.request(table, ReturnValue.ALL_NEW)).attributes()));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> current = e.item();
            return WriteOutcome.conditionFailed(current == null || current.isEmpty() ? null : toToken(current), writeId);
        }
    }

    static Update recordError(Update update, ConnectionError error) {
        return update.set(LAST_ERROR_REASON, s(error.reason())).set(LAST_ERROR_DETAIL, s(error.detail()))
                .set(LAST_ERROR_AT, n(error.at().toEpochMilli()));
    }

    /**
     * A token request succeeded: the last error goes, and so does a pending event of the chain's end, which is over (a chain
     * can come back after it was marked refused: the store of a refresh whose holder stalled past its lease).
     */
    static Update healthy(Update update) {
        return update.remove(LAST_ERROR_REASON).remove(LAST_ERROR_DETAIL).remove(LAST_ERROR_AT).remove(EVENT_PENDING);
    }

    /** A consistent scan of descriptions. */
    static ScanRequest.Builder describingScan(String table) {
        return ScanRequest.builder().tableName(table).consistentRead(true).projectionExpression(PROJECTION)
                .expressionAttributeNames(PROJECTION_NAMES);
    }

    static String projection() {
        return PROJECTION;
    }

    static Map<String, String> projectionNames() {
        return PROJECTION_NAMES;
    }

    static StoredToken toToken(Map<String, AttributeValue> item) {
        return new StoredToken(
                string(item, CONNECTION_ID),
                string(item, ACCESS_TOKEN),
                string(item, REFRESH_TOKEN),
                number(item, EXPIRES_AT),
                number(item, VERSION),
                StoredEnum.read(ConnectionStatus.class, string(item, STATUS), ConnectionStatus.ACTIVE),
                StoredEnum.read(ConnectionKind.class, string(item, KIND), ConnectionKind.USER),
                string(item, ACCOUNT_ID),
                string(item, LEASE_OWNER),
                number(item, LEASE_UNTIL),
                string(item, ZOOM_USER_ID),
                string(item, WRITE_ID),
                string(item, AUTHORIZATION_ID),
                number(item, REFRESHED_AT));
    }

    static ConnectionInfo toInfo(Map<String, AttributeValue> item) {
        return new ConnectionInfo(
                string(item, CONNECTION_ID),
                StoredEnum.read(ConnectionKind.class, string(item, KIND), ConnectionKind.USER),
                StoredEnum.read(ConnectionStatus.class, string(item, STATUS), ConnectionStatus.ACTIVE),
                string(item, ACCOUNT_ID),
                string(item, SCOPE),
                number(item, EXPIRES_AT),
                number(item, REFRESHED_AT),
                number(item, AUTHORIZED_AT),
                string(item, ZOOM_USER_ID),
                string(item, ZOOM_ACCOUNT_ID),
                number(item, VERSION),
                item.containsKey(LAST_ERROR_REASON) ? new ConnectionError(string(item, LAST_ERROR_REASON), string(item, LAST_ERROR_DETAIL),
                        Instant.ofEpochMilli(number(item, LAST_ERROR_AT))) : null,
                item.containsKey(EVENT_PENDING) && Boolean.TRUE.equals(item.get(EVENT_PENDING).bool()));
    }
}
