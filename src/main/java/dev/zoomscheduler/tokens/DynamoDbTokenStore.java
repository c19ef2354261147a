package dev.zoomscheduler.tokens;

import static dev.zoomscheduler.dynamodb.Attributes.n;
import static dev.zoomscheduler.dynamodb.Attributes.number;
import static dev.zoomscheduler.dynamodb.Attributes.s;
import static dev.zoomscheduler.dynamodb.Attributes.string;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import dev.zoomscheduler.connections.ConnectionError;
import dev.zoomscheduler.connections.ConnectionInfo;
import dev.zoomscheduler.connections.ConnectionKind;
import dev.zoomscheduler.connections.ConnectionStatus;
import dev.zoomscheduler.connections.ZoomIdentity;

/**
 * The token table in DynamoDB (layout in docs/configuration.md), for the rotation protocol and for connection management. Uses the
 * low-level client only: no bean schema, nothing reflective, so it works unchanged in a native image. A failed condition
 * returns the item as it was ({@code ALL_OLD}), which saves the protocol a read. Descriptions of connections project
 * away the tokens, so they are never even read for them.
 */
@ApplicationScoped
public class DynamoDbTokenStore implements TokenStore, ConnectionStore {

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

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbTokenStore(DynamoDbClient dynamo, TokenSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.table();
    }

    @Override
    public Optional<StoredToken> read(String connectionId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(connectionId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toToken(item));
    }

    @Override
    public WriteOutcome acquireRefreshLease(StoredToken seen, String owner, Instant leaseUntil, Instant now, String writeId) {
        Update update = new Update(seen.connectionId(), seen.version())
                .set(LEASE_OWNER, s(owner))
                .set(LEASE_UNTIL, n(leaseUntil.toEpochMilli()))
                .and("(attribute_not_exists(#" + LEASE_UNTIL + ") OR #" + LEASE_UNTIL + " <= :now)")
                .value(":now", n(now.toEpochMilli()));
        if (seen.kind() == ConnectionKind.ACCOUNT) {
            update.set(KIND, s(ConnectionKind.ACCOUNT.attributeValue())).set(ACCOUNT_ID, s(seen.accountId()));
        }
        return write(update, writeId);
    }

    @Override
    public WriteOutcome storeRefreshed(StoredToken seen, TokenGrant grant, String writeId) {
        Update update = new Update(seen.connectionId(), seen.version())
                .set(ACCESS_TOKEN, s(grant.accessToken()))
                .set(EXPIRES_AT, n(grant.expiresAt()))
                .set(STATUS, s(ConnectionStatus.ACTIVE.attributeValue()))
                .set(REFRESHED_AT, n(grant.issuedAt().getEpochSecond()))
                .remove(LEASE_OWNER).remove(LEASE_UNTIL);
        healthy(update);
        if (seen.kind() == ConnectionKind.ACCOUNT) {
            update.set(KIND, s(ConnectionKind.ACCOUNT.attributeValue())).set(ACCOUNT_ID, s(seen.accountId()));
        } else {
            // The pair is stored over the refresh token it was made from, or not at all.
            update.set(REFRESH_TOKEN, s(grant.refreshToken()))
                    .and("#" + REFRESH_TOKEN + " = :seenRefreshToken").value(":seenRefreshToken", s(seen.refreshToken()));
        }
        if (grant.scope() != null) {
            update.set(SCOPE, s(grant.scope()));
        }
        return write(update, writeId);
    }

    @Override
    public WriteOutcome releaseRefreshLease(StoredToken seen, ConnectionError failure, String writeId) {
        Update update = new Update(seen.connectionId(), seen.version()).remove(LEASE_OWNER).remove(LEASE_UNTIL);
        return write(recordError(update, failure), writeId);
    }

    @Override
    public WriteOutcome markReauthorizationRequired(StoredToken seen, ConnectionError why, boolean eventPending, String writeId) {
        Update update = new Update(seen.connectionId(), seen.version())
                .set(STATUS, s(ConnectionStatus.REAUTHORIZATION_REQUIRED.attributeValue()))
                .remove(LEASE_OWNER).remove(LEASE_UNTIL)
                .and("#" + REFRESH_TOKEN + " = :seenRefreshToken")
                .value(":seenRefreshToken", s(seen.refreshToken()));
        recordError(update, why);
        if (eventPending) {
            update.set(EVENT_PENDING, AttributeValue.fromBool(true));
        }
        return write(update, writeId);
    }

    @Override
    public WriteOutcome storeAuthorized(String connectionId, long seenVersion, TokenGrant grant, ZoomIdentity identity,
            String authorizationId) {
        Update update = new Update(connectionId, seenVersion)
                .set(ACCESS_TOKEN, s(grant.accessToken()))
                .set(REFRESH_TOKEN, s(grant.refreshToken()))
                .set(EXPIRES_AT, n(grant.expiresAt()))
                .set(STATUS, s(ConnectionStatus.ACTIVE.attributeValue()))
                .set(KIND, s(ConnectionKind.USER.attributeValue()))
                .set(REFRESHED_AT, n(grant.issuedAt().getEpochSecond()))
                .set(AUTHORIZED_AT, n(grant.issuedAt().getEpochSecond()))
                .set(AUTHORIZATION_ID, s(authorizationId))
                .remove(LEASE_OWNER).remove(LEASE_UNTIL).remove(ACCOUNT_ID);
        healthy(update); // a new chain: whatever became of the old one is over
        // who authorised it before is forgotten too: app_deauthorized of the former user must not find this connection
        replaceOrRemove(update, SCOPE, grant.scope());
        replaceOrRemove(update, ZOOM_USER_ID, identity.userId());
        replaceOrRemove(update, ZOOM_ACCOUNT_ID, identity.accountId());
        return write(update, authorizationId);
    }

    @Override
    public WriteOutcome markRevoked(String connectionId, long seenVersion, ConnectionError why, boolean eventPending, String writeId) {
        Update update = new Update(connectionId, seenVersion)
                .set(STATUS, s(ConnectionStatus.REVOKED.attributeValue()))
                .set(EXPIRES_AT, n(0))
                .remove(ACCESS_TOKEN).remove(REFRESH_TOKEN).remove(LEASE_OWNER).remove(LEASE_UNTIL);
        if (why != null) {
            recordError(update, why);
        }
        if (eventPending) {
            update.set(EVENT_PENDING, AttributeValue.fromBool(true));
        }
        return write(update, writeId);
    }

    @Override
    public WriteOutcome noteReauthorizationAnnounced(String connectionId, long seenVersion, String writeId) {
        return write(new Update(connectionId, seenVersion).remove(EVENT_PENDING), writeId);
    }

    @Override
    public List<ConnectionInfo> keepAliveCandidates(long refreshedBefore) {
        String due = "(attribute_not_exists(#" + KIND + ") OR #" + KIND + " = :user)"
                + " AND (attribute_not_exists(#" + STATUS + ") OR #" + STATUS + " = :active)"
                + " AND (attribute_not_exists(#" + REFRESHED_AT + ") OR #" + REFRESHED_AT + " < :refreshedBefore)";
        ScanRequest.Builder request = scan().filterExpression("(" + due + ") OR #" + EVENT_PENDING + " = :pending")
                .expressionAttributeValues(Map.of(
                        ":user", s(ConnectionKind.USER.attributeValue()),
                        ":active", s(ConnectionStatus.ACTIVE.attributeValue()),
                        ":refreshedBefore", n(refreshedBefore),
                        ":pending", AttributeValue.fromBool(true)));
        List<ConnectionInfo> found = new ArrayList<>();
        for (ScanResponse page : dynamo.scanPaginator(request.build())) {
            page.items().forEach(item -> found.add(toInfo(item)));
        }
        return found;
    }

    @Override
    public Deletion delete(StoredToken seen) {
        try {
            dynamo.deleteItem(r -> r.tableName(table).key(key(seen.connectionId()))
                    .conditionExpression(versionIs(seen.version()))
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
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(connectionId)).consistentRead(true)
                .projectionExpression(PROJECTION).expressionAttributeNames(PROJECTION_NAMES)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toInfo(item));
    }

    @Override
    public Page list(int pageSize, String startAfter) {
        ScanResponse page = dynamo.scan(scan().limit(pageSize)
                .exclusiveStartKey(startAfter == null ? null : key(startAfter)).build());
        Map<String, AttributeValue> last = page.lastEvaluatedKey();
        return new Page(page.items().stream().map(DynamoDbTokenStore::toInfo).toList(),
                last == null || last.isEmpty() ? null : string(last, CONNECTION_ID));
    }

    @Override
    public List<ConnectionInfo> authorizedBy(String zoomUserId) {
        List<ConnectionInfo> found = new ArrayList<>();
        ScanRequest.Builder request = scan().filterExpression("#" + ZOOM_USER_ID + " = :zoomUserId")
                .expressionAttributeValues(Map.of(":zoomUserId", s(zoomUserId)));
        for (ScanResponse page : dynamo.scanPaginator(request.build())) {
            page.items().forEach(item -> found.add(toInfo(item)));
        }
        return found;
    }

    private ScanRequest.Builder scan() {
        return ScanRequest.builder().tableName(table).consistentRead(true)
                .projectionExpression(PROJECTION).expressionAttributeNames(PROJECTION_NAMES);
    }

    private WriteOutcome write(Update update, String writeId) {
        update.set(UPDATED_AT, n(Instant.now().getEpochSecond())).set(WRITE_ID, s(writeId));
        try {
            Map<String, AttributeValue> after = dynamo.updateItem(update.request(table)).attributes();
            return new WriteOutcome(true, toToken(after));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> current = e.item();
            return WriteOutcome.conditionFailed(current == null || current.isEmpty() ? null : toToken(current), writeId);
        }
    }

    private static Update recordError(Update update, ConnectionError error) {
        return update.set(LAST_ERROR_REASON, s(error.reason())).set(LAST_ERROR_DETAIL, s(error.detail()))
                .set(LAST_ERROR_AT, n(error.at().toEpochMilli()));
    }

    /**
     * A token request succeeded: the last error goes, and so does a pending event of the chain's end, which is over (a chain
     * can come back after it was marked refused: the store of a refresh whose holder stalled past its lease, step 7).
     */
    private static void healthy(Update update) {
        update.remove(LAST_ERROR_REASON).remove(LAST_ERROR_DETAIL).remove(LAST_ERROR_AT).remove(EVENT_PENDING);
    }

    private static void replaceOrRemove(Update update, String attribute, String value) {
        if (value != null) {
            update.set(attribute, s(value));
        } else {
            update.remove(attribute);
        }
    }

    static StoredToken toToken(Map<String, AttributeValue> item) {
        return new StoredToken(
                string(item, CONNECTION_ID),
                string(item, ACCESS_TOKEN),
                string(item, REFRESH_TOKEN),
                number(item, EXPIRES_AT),
                number(item, VERSION),
                ConnectionStatus.fromAttribute(string(item, STATUS)),
                ConnectionKind.fromAttribute(string(item, KIND)),
                string(item, ACCOUNT_ID),
                string(item, LEASE_OWNER),
                number(item, LEASE_UNTIL),
                string(item, ZOOM_USER_ID),
                string(item, WRITE_ID),
                string(item, AUTHORIZATION_ID),
                number(item, REFRESHED_AT));
    }

    private static ConnectionInfo toInfo(Map<String, AttributeValue> item) {
        return new ConnectionInfo(
                string(item, CONNECTION_ID),
                ConnectionKind.fromAttribute(string(item, KIND)),
                ConnectionStatus.fromAttribute(string(item, STATUS)),
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

    /**
     * The item is at {@code :seenVersion}. Version 0 stands for an item without {@code version} (none yet, or one an operator
     * seeded by hand without it), which is read as version 0 and so can be written like any other.
     */
    private static String versionIs(long seenVersion) {
        return seenVersion == 0
                ? "(attribute_not_exists(#" + VERSION + ") OR #" + VERSION + " = :seenVersion)"
                : "#" + VERSION + " = :seenVersion";
    }

    private static Map<String, AttributeValue> key(String connectionId) {
        return Map.of(CONNECTION_ID, s(connectionId));
    }

    /**
     * Builds one UpdateItem that bumps the version, conditional on the version seen (0: the item must not exist yet) and
     * on whatever {@link #and} adds; every attribute name goes through a placeholder.
     */
    private static final class Update {
        private static final Pattern NAME_PLACEHOLDER = Pattern.compile("#(\\w+)");

        private final String connectionId;
        private final StringBuilder set = new StringBuilder();
        private final StringBuilder remove = new StringBuilder();
        private final Map<String, String> names = new HashMap<>();
        private final Map<String, AttributeValue> values = new HashMap<>();
        private final StringBuilder condition = new StringBuilder();

        Update(String connectionId, long seenVersion) {
            this.connectionId = connectionId;
            set(VERSION, n(seenVersion + 1));
            value(":seenVersion", n(seenVersion));
            condition.append(versionIs(seenVersion));
        }

        Update set(String attribute, AttributeValue value) {
            names.put("#" + attribute, attribute);
            values.put(":" + attribute, value);
            set.append(set.length() == 0 ? "SET " : ", ").append('#').append(attribute).append(" = :").append(attribute);
            return this;
        }

        Update remove(String attribute) {
            names.put("#" + attribute, attribute);
            remove.append(remove.length() == 0 ? " REMOVE " : ", ").append('#').append(attribute);
            return this;
        }

        Update and(String expression) {
            condition.append(" AND ").append(expression);
            return this;
        }

        Update value(String placeholder, AttributeValue value) {
            values.put(placeholder, value);
            return this;
        }

        UpdateItemRequest request(String table) {
            Matcher referenced = NAME_PLACEHOLDER.matcher(condition);
            while (referenced.find()) {
                names.put(referenced.group(), referenced.group(1));
            }
            return UpdateItemRequest.builder()
                    .tableName(table)
                    .key(key(connectionId))
                    .updateExpression(set.toString() + remove)
                    .conditionExpression(condition.toString())
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build();
        }
    }
}
