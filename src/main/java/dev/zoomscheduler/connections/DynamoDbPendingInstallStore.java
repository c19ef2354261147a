package dev.zoomscheduler.connections;

import static dev.zoomscheduler.dynamodb.Attributes.n;
import static dev.zoomscheduler.dynamodb.Attributes.number;
import static dev.zoomscheduler.dynamodb.Attributes.s;
import static dev.zoomscheduler.dynamodb.Attributes.string;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import dev.zoomscheduler.idempotency.IdempotencySettings;

/**
 * Pending installs live in the request table (interface.md: no third table), under keys {@code oauth-state#<hash>} that no
 * idempotency key can take ({@code #} is not allowed in one). Its TTL attribute {@code expiresAt} removes abandoned ones.
 * Consuming is one conditional delete, so a state is used at most once even by racing callbacks.
 */
@ApplicationScoped
public class DynamoDbPendingInstallStore implements PendingInstallStore {

    static final String KEY_PREFIX = "oauth-state#";
    private static final String KEY = "idempotencyKey";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbPendingInstallStore(DynamoDbClient dynamo, IdempotencySettings settings) {
        this.dynamo = dynamo;
        this.table = settings.table();
    }

    @Override
    public void save(PendingInstall install) {
        dynamo.putItem(r -> r.tableName(table)
                .item(Map.of(
                        KEY, s(KEY_PREFIX + install.stateHash()),
                        "kind", s("oauth-state"),
                        "connectionId", s(install.connectionId()),
                        "redirectUri", s(install.redirectUri()),
                        "expiresAt", n(install.expiresAt().getEpochSecond())))
                .conditionExpression("attribute_not_exists(" + KEY + ")"));
    }

    @Override
    public Consumption consume(String stateHash, Instant now) {
        try {
            Map<String, AttributeValue> removed = dynamo.deleteItem(r -> r.tableName(table)
                    .key(Map.of(KEY, s(KEY_PREFIX + stateHash)))
                    .conditionExpression("attribute_exists(" + KEY + ") AND expiresAt > :now")
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond())))
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).attributes();
            return new Consumption(new PendingInstall(stateHash, string(removed, "connectionId"), string(removed, "redirectUri"),
                    Instant.ofEpochSecond(number(removed, "expiresAt"))), false);
        } catch (ConditionalCheckFailedException e) {
            return new Consumption(null, e.item() != null && !e.item().isEmpty());
        }
    }
}
