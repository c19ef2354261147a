package dev.zoomscheduler.tokens;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.testing.AuthorizedConnection;
import dev.zoomscheduler.testing.AwsApiProxy;
import dev.zoomscheduler.testing.SqsEvents;
import dev.zoomscheduler.testing.TokenRotations;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.ZoomAndAws;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** DynamoDB throttling and failing, injected by the proxy in front of moto_server: nothing lost, clear answers. */
@QuarkusTest
@QuarkusTestResource(ZoomAndAws.class)
class DynamoFaultsTest {

    /** The invocation has time for anything these tests do. */
    private static final java.time.Instant LATER = java.time.Instant.now().plus(Duration.ofHours(1));

    static final String THROTTLED = "ProvisionedThroughputExceededException";
    static final String MEETING = "{\"topic\":\"Throttled\",\"type\":2,\"start_time\":\"2026-12-14T10:00:00Z\",\"duration\":30}";

    @Inject
    TokenRotations rotations;

    final ZoomFake zoom = ZoomAndAws.zoom();
    final AwsApiProxy dynamo = ZoomAndAws.dynamo();
    final TokenTable table = TokenTable.shared();
    final AuthorizedConnection connection = AuthorizedConnection.seed("dynamo-faults");

    @AfterEach
    void closeClients() {
        rotations.closeClients();
    }

    @Test
    void passingThrottlingIsRetriedByTheSdk() {
        table.seedExpired(connection.id(), connection.grant());
        dynamo.failNext("GetItem", 2, 400, THROTTLED);
        dynamo.failNextMatching("UpdateItem", "refreshLeaseOwner", 1, 400, THROTTLED);

        given().header("X-Zoom-Connection", connection.id()).contentType("application/json").body(MEETING).post("/meetings")
                .then().statusCode(201);
        assertEquals(zoom.currentRefreshToken(connection.grant().chainId()), table.string(connection.id(), "refreshToken"));
    }

    @Test
    void persistentFailureIsA503WithRetryAfterOrABatchItemFailureAndChangesNothing() throws Exception {
        table.seedExpired(connection.id(), connection.grant());
        dynamo.failNext("GetItem", 1000, 500, "InternalServerError");
        int calls = zoom.apiCallCount() + zoom.tokenRequestCount();

        given().header("X-Zoom-Connection", connection.id()).contentType("application/json").body(MEETING).post("/meetings")
                .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "2")
                .body("type", equalTo("/problems/token-store-unavailable"));
        String batch = SqsEvents.batch(List.of(new SqsEvents.Message("m-" + connection.id(), "{\"action\":\"create\",\"connectionId\":\""
                + connection.id() + "\",\"meeting\":" + MEETING + "}")));
        String answer = given().body(batch).post("/_lambda_").then().statusCode(200).extract().asString();
        assertEquals("m-" + connection.id(), new ObjectMapper().readTree(answer).get("batchItemFailures").get(0).get("itemIdentifier").asText());
        assertEquals(calls, zoom.apiCallCount() + zoom.tokenRequestCount(), "Zoom was not called");
    }

    @Test
    void aRefreshDynamoDbWillNotStoreIsKeptAndStoredAtTheNextRequest() {
        table.seedExpired(connection.id(), connection.grant());
        TokenRotation instance = rotations.instance().build();
        dynamo.failNextMatching("UpdateItem", "\"#accessToken\"", 1000, 400, THROTTLED);

        String token = instance.accessToken(connection.id(), LATER);

        assertEquals(zoom.currentAccessToken(connection.grant().chainId()), token, "the request goes on with the new token");
        assertNotEquals(zoom.currentRefreshToken(connection.grant().chainId()), table.string(connection.id(), "refreshToken"), "not stored yet");

        dynamo.clearFaults();
        assertEquals(token, instance.accessToken(connection.id(), LATER));
        assertEquals(zoom.currentRefreshToken(connection.grant().chainId()), table.string(connection.id(), "refreshToken"), "stored: the chain lives");
        assertEquals("active", table.string(connection.id(), "status"));
        assertEquals(1, zoom.refreshCount(connection.grant().chainId()));
        TokenRotation another = rotations.instance().build();
        assertEquals(token, another.accessToken(connection.id(), LATER), "other instances find it");
    }

    @Test
    void theRequestTableFailingAfterZoomAnsweredLosesNothing() {
        String key = "dynamo-" + UUID.randomUUID();
        dynamo.failNextMatching("UpdateItem", "resultBody", 1000, 500, "InternalServerError");
        dynamo.failNextMatching("TransactWriteItems", "resultBody", 1000, 500, "InternalServerError");
        int meetings = zoom.meetingCount();

        given().header("X-Zoom-Connection", connection.id()).header("Idempotency-Key", key).contentType("application/json")
                .body(MEETING).post("/meetings").then().statusCode(201);
        dynamo.clearFaults();
        given().get("/requests/" + key).then().statusCode(200).body("status", equalTo("in_progress"));

        given().header("X-Zoom-Connection", connection.id()).header("Idempotency-Key", key).contentType("application/json")
                .body(MEETING).post("/meetings").then().statusCode(409).header("Retry-After", "1")
                .body("type", equalTo("/problems/request-in-progress"));
        assertEquals(meetings + 1, zoom.meetingCount(), "the repeat waits for the record's time to run out, then adopts");
    }
}
