package dev.zoomscheduler.tokens;

import static dev.zoomscheduler.dynamodb.Attributes.n;
import static dev.zoomscheduler.dynamodb.Attributes.number;
import static dev.zoomscheduler.dynamodb.Attributes.s;
import static dev.zoomscheduler.dynamodb.Attributes.string;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The token table in DynamoDB (layout in README.md). Uses the low-level client only: no bean schema, nothing reflective,
 * so it works unchanged in a native image. A failed condition returns the item as it was ({@code ALL_OLD}), which saves the
 * protocol a read.
 */
@ApplicationScoped
public class DynamoDbTokenStore implements TokenStore {

    static final String CONNECTION_ID = "connectionId";
    static final String ACCESS_TOKEN = "accessToken";
    static final String REFRESH_TOKEN = "refreshToken";
    static final String EXPIRES_AT = "expiresAt";
    static final String VERSION = "version";
    static final String STATUS = "status";
    static final String SCOPE = "scope";
    static final String LEASE_OWNER = "refreshLeaseOwner";
    static final String LEASE_UNTIL = "refreshLeaseUntil";
    static final String REFRESHED_AT = "refreshedAt";
    static final String UPDATED_AT = "updatedAt";

    private static final String SAME_VERSION = "#version = :seenVersion";

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
    public WriteOutcome acquireRefreshLease(StoredToken seen, String owner, Instant leaseUntil, Instant now) {
        Update update = new Update(seen)
                .set(LEASE_OWNER, s(owner))
                .set(LEASE_UNTIL, n(leaseUntil.toEpochMilli()))
                .condition(SAME_VERSION + " AND (attribute_not_exists(#" + LEASE_UNTIL + ") OR #" + LEASE_UNTIL + " <= :now)")
                .value(":now", n(now.toEpochMilli()));
        return write(update);
    }

    @Override
    public WriteOutcome storeRefreshed(StoredToken seen, TokenGrant grant) {
        Update update = new Update(seen)
                .set(ACCESS_TOKEN, s(grant.accessToken()))
                .set(REFRESH_TOKEN, s(grant.refreshToken()))
                .set(EXPIRES_AT, n(grant.expiresAt()))
                .set(STATUS, s(ConnectionStatus.ACTIVE.attributeValue()))
                .set(REFRESHED_AT, n(grant.issuedAt().getEpochSecond()))
                .remove(LEASE_OWNER).remove(LEASE_UNTIL)
                .condition(SAME_VERSION + " AND #" + REFRESH_TOKEN + " = :seenRefreshToken")
                .value(":seenRefreshToken", s(seen.refreshToken()));
        if (grant.scope() != null) {
            update.set(SCOPE, s(grant.scope()));
        }
        return write(update);
    }

    @Override
    public WriteOutcome releaseRefreshLease(StoredToken seen) {
        return write(new Update(seen).remove(LEASE_OWNER).remove(LEASE_UNTIL).condition(SAME_VERSION));
    }

    @Override
    public WriteOutcome markReauthorizationRequired(StoredToken seen) {
        Update update = new Update(seen)
                .set(STATUS, s(ConnectionStatus.REAUTHORIZATION_REQUIRED.attributeValue()))
                .remove(LEASE_OWNER).remove(LEASE_UNTIL)
                .condition(SAME_VERSION + " AND #" + REFRESH_TOKEN + " = :seenRefreshToken")
                .value(":seenRefreshToken", s(seen.refreshToken()));
        return write(update);
    }

    private WriteOutcome write(Update update) {
        update.set(UPDATED_AT, n(Instant.now().getEpochSecond()));
        try {
            Map<String, AttributeValue> after = dynamo.updateItem(update.request(table)).attributes();
            return new WriteOutcome(true, toToken(after));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> current = e.item();
            return new WriteOutcome(false, current == null || current.isEmpty() ? null : toToken(current));
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
                string(item, LEASE_OWNER),
                number(item, LEASE_UNTIL));
    }

    private static Map<String, AttributeValue> key(String connectionId) {
        return Map.of(CONNECTION_ID, s(connectionId));
    }

    /** Builds one conditional UpdateItem that also bumps the version; every attribute name goes through a placeholder. */
    private static final class Update {
        private static final Pattern NAME_PLACEHOLDER = Pattern.compile("#(\\w+)");

        private final StoredToken seen;
        private final StringBuilder set = new StringBuilder();
        private final StringBuilder remove = new StringBuilder();
        private final Map<String, String> names = new HashMap<>();
        private final Map<String, AttributeValue> values = new HashMap<>();
        private String condition;

        Update(StoredToken seen) {
            this.seen = seen;
            set(VERSION, n(seen.version() + 1));
            value(":seenVersion", n(seen.version()));
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

        Update condition(String expression) {
            condition = expression;
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
                    .key(key(seen.connectionId()))
                    .updateExpression(set.toString() + remove)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build();
        }
    }
}
