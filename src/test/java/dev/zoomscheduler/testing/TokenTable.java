package dev.zoomscheduler.testing;

import java.util.HashMap;
import java.util.Map;

import dev.zoomscheduler.testing.zoom.ZoomFake;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The token table as an operator sees it: seeds connections the way README.md tells, and reads items back. */
public final class TokenTable {

    private final DynamoDbClient dynamo;
    private final String table;

    public TokenTable(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public static TokenTable shared() {
        return new TokenTable(MotoServer.shared().client(), MotoServer.TOKEN_TABLE);
    }

    /** Seeds a connection from Zoom's grant, valid until the grant's expiry ({@code version} 1). */
    public void seed(String connectionId, ZoomFake.Grant grant) {
        seed(connectionId, grant.accessToken(), grant.refreshToken(), grant.expiresAtEpochSeconds());
    }

    /** Seeds a connection whose access token counts as expired ({@code expiresAt} 0), forcing a refresh on first use. */
    public void seedExpired(String connectionId, ZoomFake.Grant grant) {
        seed(connectionId, grant.accessToken(), grant.refreshToken(), 0);
    }

    public void seed(String connectionId, String accessToken, String refreshToken, long expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("connectionId", AttributeValue.fromS(connectionId));
        item.put("accessToken", AttributeValue.fromS(accessToken));
        item.put("refreshToken", AttributeValue.fromS(refreshToken));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(expiresAt)));
        item.put("version", AttributeValue.fromN("1"));
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    /** Seeds a Server-to-Server connection of {@code accountId} that has no token yet. */
    public void seedAccount(String connectionId, String accountId) {
        dynamo.putItem(r -> r.tableName(table).item(Map.of(
                "connectionId", AttributeValue.fromS(connectionId),
                "kind", AttributeValue.fromS("account"),
                "accountId", AttributeValue.fromS(accountId),
                "expiresAt", AttributeValue.fromN("0"),
                "version", AttributeValue.fromN("1"))));
    }

    public void setString(String connectionId, String attribute, String value) {
        dynamo.updateItem(r -> r.tableName(table).key(key(connectionId))
                .updateExpression("SET #a = :v").expressionAttributeNames(Map.of("#a", attribute))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value))));
    }

    public void setNumber(String connectionId, String attribute, long value) {
        dynamo.updateItem(r -> r.tableName(table).key(key(connectionId))
                .updateExpression("SET #a = :v").expressionAttributeNames(Map.of("#a", attribute))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(value)))));
    }

    public void removeAttribute(String connectionId, String attribute) {
        dynamo.updateItem(r -> r.tableName(table).key(key(connectionId))
                .updateExpression("REMOVE #a").expressionAttributeNames(Map.of("#a", attribute)));
    }

    public void setStatus(String connectionId, String status) {
        dynamo.updateItem(r -> r.tableName(table).key(key(connectionId))
                .updateExpression("SET #status = :status, #version = #version + :one")
                .expressionAttributeNames(Map.of("#status", "status", "#version", "version"))
                .expressionAttributeValues(Map.of(":status", AttributeValue.fromS(status), ":one", AttributeValue.fromN("1"))));
    }

    /** Leaves a refresh lease behind, as an instance that died while refreshing would. */
    public void leaveLease(String connectionId, String owner, long untilEpochMillis) {
        dynamo.updateItem(r -> r.tableName(table).key(key(connectionId))
                .updateExpression("SET refreshLeaseOwner = :owner, refreshLeaseUntil = :until, #version = #version + :one")
                .expressionAttributeNames(Map.of("#version", "version"))
                .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner),
                        ":until", AttributeValue.fromN(Long.toString(untilEpochMillis)), ":one", AttributeValue.fromN("1"))));
    }

    public Map<String, AttributeValue> item(String connectionId) {
        return dynamo.getItem(r -> r.tableName(table).key(key(connectionId)).consistentRead(true)).item();
    }

    public String string(String connectionId, String attribute) {
        AttributeValue value = item(connectionId).get(attribute);
        return value == null ? null : value.s();
    }

    public long number(String connectionId, String attribute) {
        AttributeValue value = item(connectionId).get(attribute);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    public void delete(String connectionId) {
        dynamo.deleteItem(r -> r.tableName(table).key(key(connectionId)));
    }

    private static Map<String, AttributeValue> key(String connectionId) {
        return Map.of("connectionId", AttributeValue.fromS(connectionId));
    }
}
