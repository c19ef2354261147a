package dev.zoomscheduler.tokens;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.zoomscheduler.connections.ConnectionIds;
import dev.zoomscheduler.connections.ConnectionInfo;
import dev.zoomscheduler.connections.ConnectionKind;
import dev.zoomscheduler.connections.ConnectionStatus;
import dev.zoomscheduler.management.Connections;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.testing.TokenRotations;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.ZoomAndAws;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Server-to-Server OAuth connections ({@code account_credentials}): no refresh token, but still one token request per
 * expiry for any number of instances, through the same lease. Each instance is an independent TokenRotation with its own
 * DynamoDB client.
 */
@QuarkusTest
@QuarkusTestResource(ZoomAndAws.class)
class ServerToServerTest {

    /** The invocation has time for anything these tests do. */
    private static final java.time.Instant LATER = java.time.Instant.now().plus(Duration.ofHours(1));

    @Inject
    TokenRotations rotations;
    @Inject
    ZoomTokenEndpoint tokenEndpoint;
    @Inject
    TokenSettings settings;
    @Inject
    RefreshBudget budget;

    final ZoomFake zoom = ZoomAndAws.zoom();
    final TokenTable table = TokenTable.shared();
    final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        rotations.closeClients();
    }

    @Test
    void instancesRacingOnAnAccountConnectionMakeOneTokenRequestPerExpiry() throws Exception {
        String account = "acct-" + UUID.randomUUID();
        String connection = "s2s-" + UUID.randomUUID();
        zoom.addAccount(account);
        table.seedAccount(connection, account);
        int before = zoom.accountTokenCount();

        Set<String> tokens = race(List.of(rotations.instance().build(), rotations.instance().build(), rotations.instance().build()), connection);

        assertEquals(before + 1, zoom.accountTokenCount(), "one account_credentials request for 24 requests on 3 instances");
        assertEquals(Set.of(table.string(connection, "accessToken")), tokens);
        assertNull(table.string(connection, "refreshToken"), "there is no refresh token to store");
        assertEquals("account", table.string(connection, "kind"));

        table.setNumber(connection, "expiresAt", 0);
        race(List.of(rotations.instance().build(), rotations.instance().build()), connection);
        assertEquals(before + 2, zoom.accountTokenCount(), "the next expiry: one more request");
    }

    @Test
    void zoomAccountIdMakesTheDefaultConnectionServerToServerWithoutAnyItem() throws Exception {
        String account = "acct-default-" + UUID.randomUUID();
        zoom.addAccount(account);
        DefaultAccountConnection configured = new DefaultAccountConnection(Optional.of(account));
        table.delete(ConnectionIds.DEFAULT);
        int before = zoom.accountTokenCount();
        try {
            Set<String> tokens = race(List.of(rotations.instance().defaultAccount(configured).build(),
                    rotations.instance().defaultAccount(configured).build()), ConnectionIds.DEFAULT);

            assertEquals(before + 1, zoom.accountTokenCount());
            assertEquals(Set.of(table.string(ConnectionIds.DEFAULT, "accessToken")), tokens);
            assertEquals(account, table.string(ConnectionIds.DEFAULT, "accountId"));
            assertEquals("account", table.string(ConnectionIds.DEFAULT, "kind"));
        } finally {
            table.delete(ConnectionIds.DEFAULT);
        }
    }

    @Test
    void theConfiguredDefaultIsDescribedAndListedBeforeItHasAnItem() {
        DefaultAccountConnection configured = new DefaultAccountConnection(Optional.of("acct-described"));
        table.delete(ConnectionIds.DEFAULT);
        DynamoDbClient client = rotations.newClient();
        DynamoDbTokenStore store = new DynamoDbTokenStore(client, settings);
        Connections connections = new Connections(new DynamoDbConnectionStore(client, settings), store, configured, tokenEndpoint,
                rotations.instance().store(store).defaultAccount(configured).build(), budget, Clock.systemUTC());

        ConnectionInfo described = connections.describe(ConnectionIds.DEFAULT);
        assertEquals(ConnectionKind.ACCOUNT, described.kind());
        assertEquals("acct-described", described.accountId());
        assertEquals(ConnectionStatus.ACTIVE, described.status());
        ConnectionInfo listed = connections.list(300, null).connections().get(0);
        assertEquals(ConnectionIds.DEFAULT, listed.connectionId());
        assertEquals(ConnectionKind.ACCOUNT, listed.kind());
        connections.remove(ConnectionIds.DEFAULT, LATER); // nothing stored: nothing to revoke or delete, and no problem
    }

    @Test
    void anAccountConnectionSchedulesMeetingsThroughTheHttpApi() {
        String account = "acct-http-" + UUID.randomUUID();
        String connection = "s2s-http-" + UUID.randomUUID();
        zoom.addAccount(account);
        table.seedAccount(connection, account);

        given().header("X-Zoom-Connection", connection).contentType("application/json")
                .body("{\"topic\":\"Company all-hands\",\"type\":2,\"start_time\":\"2026-12-03T09:00:00Z\",\"duration\":60}")
                .post("/meetings").then().statusCode(201).body("host_id", equalTo("admin-" + account));
        given().get("/connections/" + connection).then().statusCode(200).body("kind", equalTo("account"))
                .body("account_id", equalTo(account)).body("status", equalTo("active"));
        int revocations = zoom.revocationCount();
        given().delete("/connections/" + connection).then().statusCode(204);
        assertEquals(revocations + 1, zoom.revocationCount(), "its access token is revoked");
    }

    @Test
    void anAccountZoomDoesNotKnowIsAConfigurationProblemAndLeavesNoLease() {
        String connection = "s2s-unknown-" + UUID.randomUUID();
        table.seedAccount(connection, "no-such-account");

        ProblemException e = assertThrows(ProblemException.class,
                () -> rotations.instance().build().accessToken(connection, LATER));

        assertEquals(ProblemType.ZOOM_NOT_CONFIGURED, e.type());
        assertNull(table.string(connection, "refreshLeaseOwner"), "the lease was given back");
        assertEquals("active", Optional.ofNullable(table.string(connection, "status")).orElse("active"));
    }

    private Set<String> race(List<TokenRotation> instances, String connection) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (TokenRotation instance : instances) {
            for (int thread = 0; thread < 8; thread++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return instance.accessToken(connection, LATER);
                }));
            }
        }
        start.countDown();
        Set<String> tokens = new HashSet<>();
        for (Future<String> result : results) {
            tokens.add(result.get());
        }
        return tokens;
    }

}
