package dev.zoomscheduler.install;

import static dev.zoomscheduler.dynamodb.Attributes.n;
import static dev.zoomscheduler.dynamodb.Attributes.number;
import static dev.zoomscheduler.dynamodb.Attributes.s;
import static dev.zoomscheduler.dynamodb.Attributes.string;

import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.zoomscheduler.dynamodb.Update;
import dev.zoomscheduler.idempotency.IdempotencySettings;
import dev.zoomscheduler.idempotency.RequestItems;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Pending installs live in the request table (the stack has two tables, no third), under keys {@code oauth-state#<hash>} that no
 * idempotency key can take ({@code #} is not allowed in one). Its TTL attribute {@code expiresAt} removes them, used or not.
 * Consuming is one conditional update that marks the item taken by one consumption, so a state is used at most once even by
 * racing callbacks, and a consumption whose answer was lost recognises itself when it is sent again.
 */
@ApplicationScoped
public class DynamoDbPendingInstallStore implements PendingInstallStore {

    static final String KEY_PREFIX = "oauth-state#";
    private static final String CONSUMED_BY = "consumedBy";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbPendingInstallStore(DynamoDbClient dynamo, IdempotencySettings settings) {
        this.dynamo = dynamo;
        this.table = settings.table();
    }

    @Override
    public void save(PendingInstall install) {
        try {
            dynamo.putItem(r -> r.tableName(table)
                    .item(Map.of(
                            RequestItems.KEY, s(KEY_PREFIX + install.stateHash()),
                            "kind", s("oauth-state"),
                            "connectionId", s(install.connectionId()),
                            "redirectUri", s(install.redirectUri()),
                            RequestItems.EXPIRES_AT, n(install.expiresAt().getEpochSecond())))
                    .conditionExpression("attribute_not_exists(" + RequestItems.KEY + ")"));
        } catch (ConditionalCheckFailedException alreadySaved) {
            // the key is the hash of 256 fresh random bits: only this save's own earlier attempt can have written it
        }
    }

    @Override
    public Consumption consume(String stateHash, Instant now, String consumptionId) {
        try {
            Update consumption = new Update(RequestItems.key(KEY_PREFIX + stateHash)).set(CONSUMED_BY, s(consumptionId))
                    .when("attribute_exists(#" + RequestItems.KEY + ")").when("#" + RequestItems.EXPIRES_AT + " > :now")
                    .when("attribute_not_exists(#" + CONSUMED_BY + ") OR #" + CONSUMED_BY + " = :" + CONSUMED_BY)
                    .value(":now", n(now.getEpochSecond()));
            Map<String, AttributeValue> taken = dynamo.updateItem(consumption.request(table, ReturnValue.ALL_NEW)).attributes();
            return new Consumption(new PendingInstall(stateHash, string(taken, "connectionId"), string(taken, "redirectUri"),
                    Instant.ofEpochSecond(number(taken, RequestItems.EXPIRES_AT))), false);
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> found = e.item();
            boolean expired = found != null && !found.isEmpty() && !found.containsKey(CONSUMED_BY);
            return new Consumption(null, expired);
        }
    }
}
