package dev.zoomscheduler.tokens;

import static dev.zoomscheduler.dynamodb.Attributes.n;
import static dev.zoomscheduler.dynamodb.Attributes.s;
import static dev.zoomscheduler.tokens.TokenItems.ACCESS_TOKEN;
import static dev.zoomscheduler.tokens.TokenItems.ACCOUNT_ID;
import static dev.zoomscheduler.tokens.TokenItems.EVENT_PENDING;
import static dev.zoomscheduler.tokens.TokenItems.EXPIRES_AT;
import static dev.zoomscheduler.tokens.TokenItems.KIND;
import static dev.zoomscheduler.tokens.TokenItems.LEASE_OWNER;
import static dev.zoomscheduler.tokens.TokenItems.LEASE_UNTIL;
import static dev.zoomscheduler.tokens.TokenItems.REFRESHED_AT;
import static dev.zoomscheduler.tokens.TokenItems.REFRESH_TOKEN;
import static dev.zoomscheduler.tokens.TokenItems.SCOPE;
import static dev.zoomscheduler.tokens.TokenItems.STATUS;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.zoomscheduler.connections.ConnectionError;
import dev.zoomscheduler.connections.ConnectionKind;
import dev.zoomscheduler.connections.ConnectionStatus;
import dev.zoomscheduler.dynamodb.Update;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The token table in DynamoDB as the rotation protocol reads and writes it ({@link TokenItems}). A failed condition
 * returns the item as it was ({@code ALL_OLD}), which saves the protocol a read.
 */
@ApplicationScoped
public class DynamoDbTokenStore implements TokenStore {

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbTokenStore(DynamoDbClient dynamo, TokenSettings settings) {
        this.dynamo = dynamo;
        this.table = settings.table();
    }

    @Override
    public Optional<StoredToken> read(String connectionId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(TokenItems.key(connectionId)).consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(TokenItems.toToken(item));
    }

    @Override
    public WriteOutcome acquireRefreshLease(StoredToken seen, String owner, Instant leaseUntil, Instant now, String writeId) {
        Update update = TokenItems.versioned(seen.connectionId(), seen.version())
                .set(LEASE_OWNER, s(owner))
                .set(LEASE_UNTIL, n(leaseUntil.toEpochMilli()))
                .when("attribute_not_exists(#" + LEASE_UNTIL + ") OR #" + LEASE_UNTIL + " <= :now")
                .value(":now", n(now.toEpochMilli()));
        if (seen.kind() == ConnectionKind.ACCOUNT) {
            update.set(KIND, s(ConnectionKind.ACCOUNT.attributeValue())).set(ACCOUNT_ID, s(seen.accountId()));
        }
        return TokenItems.write(dynamo, table, update, writeId);
    }

    @Override
    public WriteOutcome storeRefreshed(StoredToken seen, TokenGrant grant, String writeId) {
        Update update = TokenItems.healthy(TokenItems.versioned(seen.connectionId(), seen.version())
                .set(ACCESS_TOKEN, s(grant.accessToken()))
                .set(EXPIRES_AT, n(grant.expiresAt()))
                .set(STATUS, s(ConnectionStatus.ACTIVE.attributeValue()))
                .set(REFRESHED_AT, n(grant.issuedAt().getEpochSecond()))
                .remove(LEASE_OWNER).remove(LEASE_UNTIL));
        if (seen.kind() == ConnectionKind.ACCOUNT) {
            update.set(KIND, s(ConnectionKind.ACCOUNT.attributeValue())).set(ACCOUNT_ID, s(seen.accountId()));
        } else {
            // The pair is stored over the refresh token it was made from, or not at all.
            update.set(REFRESH_TOKEN, s(grant.refreshToken()))
                    .when("#" + REFRESH_TOKEN + " = :seenRefreshToken").value(":seenRefreshToken", s(seen.refreshToken()));
        }
        if (grant.scope() != null) {
            update.set(SCOPE, s(grant.scope()));
        }
        return TokenItems.write(dynamo, table, update, writeId);
    }

    @Override
    public WriteOutcome releaseRefreshLease(StoredToken seen, ConnectionError failure, String writeId) {
        Update update = TokenItems.versioned(seen.connectionId(), seen.version()).remove(LEASE_OWNER).remove(LEASE_UNTIL);
        return TokenItems.write(dynamo, table, TokenItems.recordError(update, failure), writeId);
    }

    @Override
    public WriteOutcome markReauthorizationRequired(StoredToken seen, ConnectionError why, boolean eventPending, String writeId) {
        Update update = TokenItems.recordError(TokenItems.versioned(seen.connectionId(), seen.version())
                .set(STATUS, s(ConnectionStatus.REAUTHORIZATION_REQUIRED.attributeValue()))
                .remove(LEASE_OWNER).remove(LEASE_UNTIL)
                .when("#" + REFRESH_TOKEN + " = :seenRefreshToken")
                .value(":seenRefreshToken", s(seen.refreshToken())), why);
        if (eventPending) {
            update.set(EVENT_PENDING, AttributeValue.fromBool(true));
        }
        return TokenItems.write(dynamo, table, update, writeId);
    }
}
