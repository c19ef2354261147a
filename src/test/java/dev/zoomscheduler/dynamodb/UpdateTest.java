package dev.zoomscheduler.dynamodb;

import static dev.zoomscheduler.dynamodb.Attributes.n;
import static dev.zoomscheduler.dynamodb.Attributes.s;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.zoomscheduler.testing.MotoServer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** The conditional update every store writes, against moto_server. */
class UpdateTest {

    private final DynamoDbClient dynamo = MotoServer.shared().client();

    @Test
    void everyConditionHoldsEvenWhenTheFirstIsAnOr() {
        Map<String, AttributeValue> key = Map.of("connectionId", s("update-" + UUID.randomUUID()));
        dynamo.putItem(r -> r.tableName(MotoServer.TOKEN_TABLE).item(Map.of("connectionId", key.get("connectionId"),
                "leaseOwner", s("another instance")))); // no version yet, as an item seeded by hand

        // "no version, or version 0" AND "the lease is mine": the second must not be lost to OR's precedence
        Update takeOver = new Update(key).set("leaseOwner", s("me"))
                .when("attribute_not_exists(#version) OR #version = :seenVersion").value(":seenVersion", n(0))
                .when("#leaseOwner = :me").value(":me", s("me"));
        assertThrows(ConditionalCheckFailedException.class, () -> dynamo.updateItem(takeOver.request(MotoServer.TOKEN_TABLE, ReturnValue.NONE)));
        assertEquals("another instance", dynamo.getItem(r -> r.tableName(MotoServer.TOKEN_TABLE).key(key)).item().get("leaseOwner").s());

        Update alone = new Update(key).set("leaseOwner", s("me")).when("attribute_not_exists(#version) OR #version = :seenVersion")
                .value(":seenVersion", n(0));
        assertDoesNotThrow(() -> dynamo.updateItem(alone.request(MotoServer.TOKEN_TABLE, ReturnValue.NONE)));
    }
}
