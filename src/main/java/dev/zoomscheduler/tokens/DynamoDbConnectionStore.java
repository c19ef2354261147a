package dev.zoomscheduler.tokens;

import static dev.zoomscheduler.dynamodb.Attributes.n;
import static dev.zoomscheduler.dynamodb.Attributes.s;
import static dev.zoomscheduler.dynamodb.Attributes.string;
import static dev.zoomscheduler.tokens.TokenItems.ACCESS_TOKEN;
import static dev.zoomscheduler.tokens.TokenItems.ACCOUNT_ID;
import static dev.zoomscheduler.tokens.TokenItems.AUTHORIZATION_ID;
import static dev.zoomscheduler.tokens.TokenItems.AUTHORIZED_AT;
import static dev.zoomscheduler.tokens.TokenItems.CONNECTION_ID;
import static dev.zoomscheduler.tokens.TokenItems.EVENT_PENDING;
import static dev.zoomscheduler.tokens.TokenItems.EXPIRES_AT;
import static dev.zoomscheduler.tokens.TokenItems.KIND;
import static dev.zoomscheduler.tokens.TokenItems.LEASE_OWNER;
import static dev.zoomscheduler.tokens.TokenItems.LEASE_UNTIL;
import static dev.zoomscheduler.tokens.TokenItems.REFRESHED_AT;
import static dev.zoomscheduler.tokens.TokenItems.REFRESH_TOKEN;
import static dev.zoomscheduler.tokens.TokenItems.SCOPE;
import static dev.zoomscheduler.tokens.TokenItems.STATUS;
import static dev.zoomscheduler.tokens.TokenItems.VERSION;
import static dev.zoomscheduler.tokens.TokenItems.ZOOM_ACCOUNT_ID;
import static dev.zoomscheduler.tokens.TokenItems.ZOOM_USER_ID;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.zoomscheduler.connections.ConnectionError;
import dev.zoomscheduler.connections.ConnectionInfo;
import dev.zoomscheduler.connections.ConnectionKind;
import dev.zoomscheduler.connections.ConnectionStatus;
import dev.zoomscheduler.connections.ZoomIdentity;
import dev.zoomscheduler.dynamodb.Update;
import dev.zoomscheduler.tokens.TokenStore.WriteOutcome;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** The token table in DynamoDB as connections are installed, described, revoked and deleted ({@link TokenItems}). */
@ApplicationScoped
public class DynamoDbConnectionStore implements ConnectionStore {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Optional<String> userIndex;

    public DynamoDbConnectionStore(DynamoDbClient dynamo, TokenSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.table();
        this.userIndex = settings.userIndex();
    }

    @Override
    public WriteOutcome storeAuthorized(String connectionId, long seenVersion, TokenGrant grant, ZoomIdentity identity,
            String authorizationId) {
        Update update = TokenItems.versioned(connectionId, seenVersion)
                .set(ACCESS_TOKEN, s(grant.accessToken()))
                .set(REFRESH_TOKEN, s(grant.refreshToken()))
                .set(EXPIRES_AT, n(grant.expiresAt()))
                .set(STATUS, s(ConnectionStatus.ACTIVE.attributeValue()))
                .set(KIND, s(ConnectionKind.USER.attributeValue()))
                .set(REFRESHED_AT, n(grant.issuedAt().getEpochSecond()))
                .set(AUTHORIZED_AT, n(grant.issuedAt().getEpochSecond()))
                .set(AUTHORIZATION_ID, s(authorizationId))
                .remove(LEASE_OWNER).remove(LEASE_UNTIL).remove(ACCOUNT_ID);
        TokenItems.healthy(update); // a new chain: whatever became of the old one is over
        // who authorised it before is forgotten too: app_deauthorized of the former user must not find this connection
        replaceOrRemove(update, SCOPE, grant.scope());
        replaceOrRemove(update, ZOOM_USER_ID, identity.userId());
        replaceOrRemove(update, ZOOM_ACCOUNT_ID, identity.accountId());
        return TokenItems.write(dynamo, table, update, authorizationId);
    }

    @Override
    public WriteOutcome markRevoked(String connectionId, long seenVersion, ConnectionError why, boolean eventPending, String writeId) {
        Update update = TokenItems.versioned(connectionId, seenVersion)
                .set(STATUS, s(ConnectionStatus.REVOKED.attributeValue()))
                .set(EXPIRES_AT, n(0))
                .remove(ACCESS_TOKEN).remove(REFRESH_TOKEN).remove(LEASE_OWNER).remove(LEASE_UNTIL);
        if (why != null) {
            TokenItems.recordError(update, why);
        }
        if (eventPending) {
            update.set(EVENT_PENDING, AttributeValue.fromBool(true));
        }
        return TokenItems.write(dynamo, table, update, writeId);
    }

    @Override
    public WriteOutcome noteReauthorizationAnnounced(String connectionId, long seenVersion, String writeId) {
        return TokenItems.write(dynamo, table, TokenItems.versioned(connectionId, seenVersion).remove(EVENT_PENDING), writeId);
    }

    @Override
    public List<ConnectionInfo> keepAliveCandidates(long refreshedBefore) {
        String due = "(attribute_not_exists(#" + KIND + ") OR #" + KIND + " = :user)"
                + " AND (attribute_not_exists(#" + STATUS + ") OR #" + STATUS + " = :active)"
                + " AND (attribute_not_exists(#" + REFRESHED_AT + ") OR #" + REFRESHED_AT + " < :refreshedBefore)";
        ScanRequest.Builder request = TokenItems.describingScan(table).filterExpression("(" + due + ") OR #" + EVENT_PENDING + " = :pending")
                .expressionAttributeValues(Map.of(
                        ":user", s(ConnectionKind.USER.attributeValue()),
                        ":active", s(ConnectionStatus.ACTIVE.attributeValue()),
                        ":refreshedBefore", n(refreshedBefore),
                        ":pending", AttributeValue.fromBool(true)));
        return described(request);
    }

    @Override
    public Deletion delete(StoredToken seen) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(TokenItems.key(seen.connectionId()))
                    .conditionExpression(TokenItems.versionIs(seen.version()))
                    .expressionAttributeNames(Map.of("#" + VERSION, VERSION))
                    .expressionAttributeValues(Map.of(":seenVersion", n(seen.version())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Deletion.DELETED;
        } catch (ConditionalCheckFailedException changed) {
            return changed.hasItem() && !changed.item().isEmpty() ? Deletion.CHANGED : Deletion.GONE;
        }
    }

    @Override
    public Optional<ConnectionInfo> describe(String connectionId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(TokenItems.key(connectionId)).consistentRead(true)
                .projectionExpression(TokenItems.projection()).expressionAttributeNames(TokenItems.projectionNames())).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(TokenItems.toInfo(item));
    }

    @Override
    public Page list(int pageSize, String startAfter) {
        ScanResponse page = dynamo.scan(TokenItems.describingScan(table).limit(pageSize)
                .exclusiveStartKey(startAfter == null ? null : TokenItems.key(startAfter)).build());
        Map<String, AttributeValue> last = page.lastEvaluatedKey();
        return new Page(page.items().stream().map(TokenItems::toInfo).toList(),
                last == null || last.isEmpty() ? null : string(last, CONNECTION_ID));
    }

    /**
     * With the index on {@code zoomUserId}, a query of it; each connection it names is then read consistently, since
     * an index lags its table (the item may have been authorised again by another user since). Without, a scan.
     */
    @Override
    public List<ConnectionInfo> authorizedBy(String zoomUserId) {
        if (userIndex.isPresent()) {
            List<ConnectionInfo> found = new ArrayList<>();
            QueryRequest query = QueryRequest.builder().tableName(table).indexName(userIndex.get())
                    .keyConditionExpression("#" + ZOOM_USER_ID + " = :zoomUserId")
                    .expressionAttributeNames(Map.of("#" + ZOOM_USER_ID, ZOOM_USER_ID))
                    .expressionAttributeValues(Map.of(":zoomUserId", s(zoomUserId))).build();
            for (QueryResponse page : dynamo.queryPaginator(query)) {
                page.items().forEach(key -> describe(string(key, CONNECTION_ID))
                        .filter(connection -> zoomUserId.equals(connection.zoomUserId()))
                        .ifPresent(found::add));
            }
            return found;
        }
        return described(TokenItems.describingScan(table).filterExpression("#" + ZOOM_USER_ID + " = :zoomUserId")
                .expressionAttributeValues(Map.of(":zoomUserId", s(zoomUserId))));
    }

    /** Every connection a describing scan finds, page after page. */
    private List<ConnectionInfo> described(ScanRequest.Builder scan) {
        List<ConnectionInfo> found = new ArrayList<>();
        for (ScanResponse page : dynamo.scanPaginator(scan.build())) {
            page.items().forEach(item -> found.add(TokenItems.toInfo(item)));
        }
        return found;
    }

    private static void replaceOrRemove(Update update, String attribute, String value) {
        if (value != null) {
            update.set(attribute, s(value));
        } else {
            update.remove(attribute);
        }
    }
}
