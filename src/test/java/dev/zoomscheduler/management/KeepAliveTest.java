package dev.zoomscheduler.management;

import static dev.zoomscheduler.testing.TokenRotations.USER_CONNECTIONS_ONLY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.connections.ConnectionError;
import dev.zoomscheduler.connections.ConnectionHealth;
import dev.zoomscheduler.connections.ConnectionInfo;
import dev.zoomscheduler.observability.Metrics;
import dev.zoomscheduler.outcomes.OutcomeBus;
import dev.zoomscheduler.testing.AwsApiProxy;
import dev.zoomscheduler.testing.FixedKeepAliveSettings;
import dev.zoomscheduler.testing.FixedTokenSettings;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.OutcomeEventBus;
import dev.zoomscheduler.testing.TokenRotations;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.ZoomAndAws;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import dev.zoomscheduler.tokens.DefaultAccountConnection;
import dev.zoomscheduler.tokens.DynamoDbConnectionStore;
import dev.zoomscheduler.tokens.DynamoDbTokenStore;
import dev.zoomscheduler.tokens.ReauthorizationAlerts;
import dev.zoomscheduler.tokens.RefreshBudget;
import dev.zoomscheduler.tokens.TokenRotation;
import dev.zoomscheduler.tokens.TokenSettings;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The keep-alive run against moto_server (through the counting proxy), the strict Zoom fake and the outcome event bus in
 * moto. Each test has a token table of its own, so that a run sees exactly the test's connections; each "instance" is a
 * KeepAliveRun over an independent TokenRotation with its own DynamoDB client and memory, as two Lambda instances that
 * run the schedule's message at once would be.
 */
@QuarkusTest
@QuarkusTestResource(ZoomAndAws.class)
class KeepAliveTest {

    /** The invocation has time for anything these tests do. */
    private static final Instant LATER = Instant.now().plus(Duration.ofHours(1));
    private static final long DAY = 86_400;

    @Inject
    TokenRotations rotations;
    @Inject
    TokenSettings settings;
    @Inject
    RefreshBudget budget;
    @Inject
    OutcomeBus outcomes;
    @Inject
    ObjectMapper json;

    final ZoomFake zoom = ZoomAndAws.zoom();
    final AwsApiProxy dynamo = ZoomAndAws.dynamo();
    final AwsApiProxy eventBridge = ZoomAndAws.eventBridge();
    final ByteArrayOutputStream metricLines = new ByteArrayOutputStream();
    ExecutorService pool;
    String tableName;
    TokenTable table;
    Metrics metrics;

    @BeforeEach
    void newTable() {
        tableName = "keepalive-" + UUID.randomUUID();
        MotoServer.shared().createTables(tableName, MotoServer.REQUEST_TABLE);
        table = new TokenTable(MotoServer.shared().client(), tableName);
        metrics = new Metrics(json, Clock.systemUTC(), "KeepAliveTest", true, new PrintStream(metricLines, true, StandardCharsets.UTF_8));
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        rotations.closeClients();
    }

    @Test
    void aConnectionIdlePastTheAgeIsRefreshedExactlyOnceAcrossTwoConcurrentRunsAndAFreshOneIsLeftAlone() throws Exception {
        ZoomFake.Grant idle = seed("idle", Instant.now().getEpochSecond() - 8 * DAY);
        ZoomFake.Grant neverRefreshedHere = seed("seeded", 0);
        ZoomFake.Grant fresh = seed("fresh", Instant.now().getEpochSecond() - DAY);
        Instance one = instance(budget, 100, USER_CONNECTIONS_ONLY);
        Instance other = instance(budget, 100, USER_CONNECTIONS_ONLY);

        CountDownLatch start = new CountDownLatch(1);
        Future<KeepAliveRun.Report> first = pool.submit(() -> {
            start.await();
            return one.run().run(LATER);
        });
        Future<KeepAliveRun.Report> second = pool.submit(() -> {
            start.await();
            return other.run().run(LATER);
        });
        start.countDown();
        KeepAliveRun.Report a = first.get();
        KeepAliveRun.Report b = second.get();

        System.out.printf("keep-alive: two runs at once -> %s and %s%n", a, b);
        for (ZoomFake.Grant due : List.of(idle, neverRefreshedHere)) {
            assertEquals(1, zoom.refreshCount(due.chainId()), "one refresh however many runs meet on it");
            assertTrue(zoom.isLive(due.chainId()));
        }
        assertEquals(0, zoom.refreshCount(fresh.chainId()), "refreshed a day ago: not due");
        assertEquals(zoom.currentRefreshToken(idle.chainId()), table.string("idle", "refreshToken"), "the live refresh token is stored");
        assertEquals(zoom.currentRefreshToken(neverRefreshedHere.chainId()), table.string("seeded", "refreshToken"));
        assertEquals(2, a.refreshed() + b.refreshed(), "each refreshed by one of the runs; the other found it fresh");
        assertEquals(0, a.left() + b.left());
        assertTrue(table.number("idle", "refreshedAt") >= Instant.now().getEpochSecond() - 60, "its last refresh is recorded");

        dynamo.resetCounts();
        for (Instance instance : List.of(one, other)) {
            assertEquals(zoom.currentAccessToken(idle.chainId()), instance.rotation().accessToken("idle", LATER));
        }
        assertEquals(0, dynamo.total(), "a warm request after a run makes no DynamoDB call");
    }

    @Test
    void aRunThatReachesItsDeadlineStopsBeforeItAndTheNextRunResumesOldestFirst() {
        long now = Instant.now().getEpochSecond();
        ZoomFake.Grant oldest = seed("oldest", 0);
        ZoomFake.Grant older = seed("older", now - 30 * DAY);
        ZoomFake.Grant old = seed("old", now - 8 * DAY);
        // a refresh takes 2 s at Zoom; the short budget needs about 1.3 s free to begin one: 3.3 s give time for one only
        zoom.delayNext("POST", "/oauth/token", 1, Duration.ofSeconds(2));
        Instance instance = instance(rotations.shortBudget(Duration.ofSeconds(1)), 100, USER_CONNECTIONS_ONLY);
        Instant deadline = Instant.now().plusMillis(3300);

        KeepAliveRun.Report first = instance.run().run(deadline);

        assertTrue(Instant.now().isBefore(deadline), "it stopped before its deadline");
        assertEquals(new KeepAliveRun.Report(3, 1, 0, 0, 0, 2), first);
        assertEquals(1, zoom.refreshCount(oldest.chainId()), "the one never refreshed here goes first");
        assertEquals(0, zoom.refreshCount(older.chainId()) + zoom.refreshCount(old.chainId()), "no refresh began without time to finish");

        KeepAliveRun.Report next = instance(budget, 100, USER_CONNECTIONS_ONLY).run().run(LATER);

        assertEquals(new KeepAliveRun.Report(2, 2, 0, 0, 0, 0), next, "the rest, and not the one done");
        for (ZoomFake.Grant each : List.of(oldest, older, old)) {
            assertEquals(1, zoom.refreshCount(each.chainId()));
            assertTrue(zoom.isLive(each.chainId()));
        }
    }

    @Test
    void aRunRefreshesAtMostKeepAliveMaxConnectionsAndLeavesTheYoungestForTheNext() {
        long now = Instant.now().getEpochSecond();
        ZoomFake.Grant a = seed("a", now - 10 * DAY);
        ZoomFake.Grant b = seed("b", now - 9 * DAY);
        ZoomFake.Grant c = seed("c", now - 8 * DAY);

        assertEquals(new KeepAliveRun.Report(3, 2, 0, 0, 0, 1), instance(budget, 2, USER_CONNECTIONS_ONLY).run().run(LATER));

        assertEquals(List.of(1, 1, 0), List.of(zoom.refreshCount(a.chainId()), zoom.refreshCount(b.chainId()), zoom.refreshCount(c.chainId())));
    }

    @Test
    void aRefusedChainYieldsTheHealthTheEventOnceAndTheMetricOnce() throws Exception {
        String connection = "refused-" + UUID.randomUUID();
        ZoomFake.Grant grant = seed(connection, 0);
        zoom.revoke(grant.chainId()); // the user revoked it at Zoom, or it died while idle
        OutcomeEventBus.Subscriber subscriber = new OutcomeEventBus(MotoServer.shared().endpoint()).subscribe(connection);
        Instance one = instance(budget, 100, USER_CONNECTIONS_ONLY);
        Instance other = instance(budget, 100, USER_CONNECTIONS_ONLY);

        int refusals = zoom.invalidGrantCount();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<KeepAliveRun.Report>> runs = new ArrayList<>();
        for (Instance instance : List.of(one, other)) {
            runs.add(pool.submit(() -> {
                start.await();
                return instance.run().run(LATER);
            }));
        }
        start.countDown();
        int lost = 0;
        for (Future<KeepAliveRun.Report> run : runs) {
            lost += run.get().reauthorizationRequired();
        }
        one.run().run(LATER); // a later run: nothing is due, and nothing is said again

        assertTrue(lost >= 1, "found refused (by one run; the other, if it came to it, found it marked)");
        assertEquals(1, zoom.invalidGrantCount() - refusals, "one refresh was sent, under its lease, and refused");
        ConnectionInfo described = one.store().describe(connection).orElseThrow();
        assertEquals(ConnectionHealth.REAUTHORIZATION_REQUIRED, described.health());
        assertEquals(ConnectionError.REFRESH_TOKEN_REFUSED, described.lastError().reason());
        assertFalse(described.reauthorizationEventPending(), "published, and noted so");
        List<JsonNode> events = subscriber.await(2, Duration.ofSeconds(3)); // waits for a second one, which must not come
        assertEquals(1, events.size(), events.toString());
        JsonNode detail = events.get(0).get("detail");
        assertEquals("Connection Needs Reauthorization", events.get(0).get("detail-type").asText());
        assertEquals(connection, detail.get("connectionId").asText());
        assertEquals("refresh_token_refused", detail.get("reason").asText());
        assertEquals(described.lastError().at().toString(), detail.get("when").asText());
        assertTrue(detail.hasNonNull("eventId"));
        assertFalse(subscriber.raw().get(0).contains(grant.refreshToken()) || subscriber.raw().get(0).contains(grant.accessToken()));
        assertEquals(1, metric("ConnectionHealth", "Health", "reauthorization_required"), metricLines.toString());
    }

    @Test
    void anEventThatEventBridgeRefusedStaysPendingAndTheNextRunPublishesIt() throws Exception {
        String connection = "unannounced-" + UUID.randomUUID();
        zoom.revoke(seed(connection, 0).chainId());
        OutcomeEventBus.Subscriber subscriber = new OutcomeEventBus(MotoServer.shared().endpoint()).subscribe(connection);
        eventBridge.failNext("PutEvents", 1, 400, "AccessDeniedException");
        Instance instance = instance(budget, 100, USER_CONNECTIONS_ONLY);

        instance.run().run(LATER);

        assertTrue(instance.store().describe(connection).orElseThrow().reauthorizationEventPending(), "not published: kept in the item");
        assertEquals(0, subscriber.await(1, Duration.ofSeconds(1)).size());

        instance(budget, 100, USER_CONNECTIONS_ONLY).run().run(LATER);

        assertEquals(1, subscriber.await(2, Duration.ofSeconds(3)).size(), "published by the next run, once");
        assertFalse(instance.store().describe(connection).orElseThrow().reauthorizationEventPending());
        assertEquals(1, metric("ConnectionHealth", "Health", "reauthorization_required"), "the occurrence is counted once");
    }

    @Test
    void aRefreshThatFailsForAPassingReasonIsRecordedInTheReleaseOfItsLeaseAndClearedByTheNextSuccess() {
        String connection = "failing-" + UUID.randomUUID();
        ZoomFake.Grant grant = seed(connection, 0);
        zoom.failNext("POST", "/oauth/token", 1, 503, Map.of(), "{\"reason\":\"Service unavailable\"}");
        Instance instance = instance(budget, 100, USER_CONNECTIONS_ONLY);
        dynamo.resetCounts();

        assertEquals(1, instance.run().run(LATER).failing());

        assertEquals(2, dynamo.count("UpdateItem"), "the lease and its release, which carries the error: no write more");
        ConnectionInfo failing = instance.store().describe(connection).orElseThrow();
        assertEquals(ConnectionHealth.REFRESH_FAILING, failing.health());
        assertEquals("zoom-unavailable", failing.lastError().reason());
        assertFalse(failing.lastError().detail().contains(grant.refreshToken()));
        assertEquals(1, metric("ConnectionHealth", "Health", "refresh_failing"));
        assertTrue(zoom.isLive(grant.chainId()), "nothing lost");

        dynamo.resetCounts();
        assertEquals(1, instance.run().run(LATER).refreshed(), "still due: the next run tries again");

        assertEquals(2, dynamo.count("UpdateItem"), "the lease and the store, which clears the error");
        ConnectionInfo healthy = instance.store().describe(connection).orElseThrow();
        assertEquals(ConnectionHealth.OK, healthy.health());
        assertNull(healthy.lastError());
    }

    @Test
    void serverToServerConnectionsAreSkipped() {
        String account = "acct-" + UUID.randomUUID();
        zoom.addAccount(account);
        table.seedAccount("s2s", account);
        table.seed("default", zoom.authorize()); // an item of kind user, but ZOOM_ACCOUNT_ID makes default Server-to-Server
        table.removeAttribute("default", "refreshToken");
        int accountTokens = zoom.accountTokenCount();
        int tokenRequests = zoom.tokenRequestCount();

        KeepAliveRun.Report report = instance(budget, 100, new DefaultAccountConnection(Optional.of(account))).run().run(LATER);

        assertEquals(new KeepAliveRun.Report(0, 0, 0, 0, 0, 0), report);
        assertEquals(accountTokens, zoom.accountTokenCount());
        assertEquals(tokenRequests, zoom.tokenRequestCount(), "no token request at all");
    }

    /** One Lambda instance's keep-alive: its own DynamoDB client, rotation and memory, over the test's table. */
    private record Instance(KeepAliveRun run, TokenRotation rotation, DynamoDbConnectionStore store) {
    }

    private Instance instance(RefreshBudget instanceBudget, int maxConnections, DefaultAccountConnection defaultAccount) {
        DynamoDbClient client = rotations.newClient();
        TokenSettings own = onTheTestsTable();
        DynamoDbConnectionStore store = new DynamoDbConnectionStore(client, own);
        ReauthorizationAlerts alerts = new ReauthorizationAlerts(outcomes, store, metrics, Clock.systemUTC());
        TokenRotation rotation = rotations.instance().store(new DynamoDbTokenStore(client, own)).settings(own).defaultAccount(defaultAccount)
                .budget(instanceBudget).metrics(metrics).alerts(alerts).build();
        KeepAliveSettings keepAlive = new FixedKeepAliveSettings(7, maxConnections);
        return new Instance(new KeepAliveRun(store, rotation, alerts, defaultAccount, keepAlive, metrics, Clock.systemUTC()), rotation,
                store);
    }

    /** The application's token settings, on the test's own table. */
    private TokenSettings onTheTestsTable() {
        return FixedTokenSettings.onTable(tableName, settings);
    }

    /** A connection authorised at Zoom, its access token valid, last refreshed at {@code refreshedAt} (0: never here). */
    private ZoomFake.Grant seed(String connectionId, long refreshedAt) {
        ZoomFake.Grant grant = zoom.authorize();
        table.seed(connectionId, grant);
        if (refreshedAt > 0) {
            table.setNumber(connectionId, "refreshedAt", refreshedAt);
        }
        return grant;
    }

    /** The sum of the EMF lines of {@code metric} with that dimension value. */
    private long metric(String metric, String dimension, String value) {
        long sum = 0;
        for (String line : metricLines.toString(StandardCharsets.UTF_8).split("\n")) {
            try {
                JsonNode emf = json.readTree(line);
                if (emf.has(metric) && value.equals(emf.path(dimension).asText())) {
                    sum += emf.get(metric).asLong();
                }
            } catch (java.io.IOException notEmf) {
                throw new java.io.UncheckedIOException(notEmf);
            }
        }
        return sum;
    }
}
