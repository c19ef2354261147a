package dev.zoomscheduler.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.zoomscheduler.observability.Metrics;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.testing.DynamoProxy;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.ZoomAndDynamo;
import dev.zoomscheduler.testing.ZoomFake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The rotation protocol against the real pieces: moto_server (through the counting proxy) and the strict Zoom fake.
 * Each "instance" is an independent TokenRotation with its own DynamoDB client, memory and locks, as separate Lambda
 * instances would have; they share only the table and Zoom.
 */
@QuarkusTest
@QuarkusTestResource(ZoomAndDynamo.class)
class TokenRotationTest {

    /** These instances serve user connections only: no ZOOM_ACCOUNT_ID. */
    private static final DefaultAccountConnection NO_DEFAULT_ACCOUNT = new DefaultAccountConnection(Optional.empty());

    @Inject
    ZoomTokenEndpoint tokenEndpoint;
    @Inject
    TokenSettings settings;
    @Inject
    Metrics metrics;

    final ZoomFake zoom = ZoomAndDynamo.zoom();
    final DynamoProxy dynamo = ZoomAndDynamo.dynamo();
    final TokenTable table = TokenTable.shared();
    final List<DynamoDbClient> clients = new ArrayList<>();
    ExecutorService pool;

    @BeforeEach
    void setUp() {
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        clients.forEach(DynamoDbClient::close);
    }

    @Test
    void instancesRacingOnAnExpiredTokenRefreshItOnceAndStoreTheLiveRefreshToken() throws Exception {
        ZoomFake.Grant grant = zoom.authorize();
        table.seedExpired("race", grant);
        List<TokenRotation> instances = List.of(instance(settings), instance(settings), instance(settings));
        int threadsPerInstance = 8;
        dynamo.resetCounts();
        int tokenRequests = zoom.tokenRequestCount();

        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (TokenRotation instance : instances) {
            for (int thread = 0; thread < threadsPerInstance; thread++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return instance.accessToken("race");
                }));
            }
        }
        start.countDown();
        Set<String> tokens = new java.util.HashSet<>();
        for (Future<String> result : results) {
            tokens.add(result.get());
        }

        System.out.printf("race: %d requests on %d instances -> %d Zoom refresh(es), DynamoDB calls %s%n", results.size(),
                instances.size(), zoom.refreshCount(grant.chainId()), dynamo.counts());
        assertEquals(1, zoom.refreshCount(grant.chainId()), "exactly one refresh for one expiry");
        assertEquals(1, zoom.tokenRequestCount() - tokenRequests, "and no other token request (none refused with invalid_grant)");
        assertEquals(Set.of(zoom.currentAccessToken(grant.chainId())), tokens, "every request got the new access token");
        assertEquals(zoom.currentRefreshToken(grant.chainId()), table.string("race", "refreshToken"));
        assertEquals("active", table.string("race", "status"));
        int updates = dynamo.count("UpdateItem");
        assertTrue(updates >= 2 && updates <= 2 + instances.size() - 1,
                "one lease and one store; another instance writes only if it tried for the lease and lost: " + updates);

        dynamo.resetCounts();
        for (TokenRotation instance : instances) {
            for (int i = 0; i < 10; i++) {
                assertEquals(zoom.currentAccessToken(grant.chainId()), instance.accessToken("race"));
            }
        }
        assertEquals(0, dynamo.total(), "a warm request makes no DynamoDB call");
    }

    @Test
    void aWarmInstanceRefreshesWithTwoWritesAndNoRead() {
        ZoomFake.Grant grant = zoom.authorize();
        table.seed("warm", grant);
        TokenRotation instance = instance(settings);
        instance.accessToken("warm");
        zoom.invalidateAccessTokens(grant.chainId());
        dynamo.resetCounts();

        String replacement = instance.replaceRejected("warm", grant.accessToken());

        assertEquals(zoom.currentAccessToken(grant.chainId()), replacement);
        assertEquals(0, dynamo.count("GetItem"));
        assertEquals(2, dynamo.count("UpdateItem"), "take the lease, store the new pair");
    }

    @Test
    void aLeaseLeftByACrashedInstanceRunsOutAndAnotherTakesOver() {
        ZoomFake.Grant grant = zoom.authorize();
        table.seedExpired("crashed-holder", grant);
        long leaseRunsOut = System.currentTimeMillis() + 1500;
        table.leaveLease("crashed-holder", "instance-that-died", leaseRunsOut);

        String token = instance(settings).accessToken("crashed-holder");

        assertTrue(System.currentTimeMillis() >= leaseRunsOut, "waited for the lease to run out");
        assertEquals(zoom.currentAccessToken(grant.chainId()), token);
        assertEquals(1, zoom.refreshCount(grant.chainId()));
        assertEquals(zoom.currentRefreshToken(grant.chainId()), table.string("crashed-holder", "refreshToken"));
    }

    @Test
    void aRevokedRefreshTokenMarksTheConnectionAndZoomIsNotAskedAgain() {
        ZoomFake.Grant grant = zoom.authorize();
        table.seedExpired("revoked", grant);
        zoom.revoke(grant.chainId());
        int tokenRequestsBefore = zoom.tokenRequestCount();
        TokenRotation one = instance(settings);
        TokenRotation other = instance(settings);

        ProblemException first = assertThrows(ProblemException.class, () -> one.accessToken("revoked"));
        for (int i = 0; i < 5; i++) {
            for (TokenRotation instance : List.of(one, other)) {
                ProblemException again = assertThrows(ProblemException.class, () -> instance.accessToken("revoked"));
                assertEquals(ProblemType.REAUTHORIZATION_REQUIRED, again.type());
            }
        }

        assertEquals(ProblemType.REAUTHORIZATION_REQUIRED, first.type());
        assertEquals(1, zoom.tokenRequestCount() - tokenRequestsBefore, "one refused refresh, then no retry storm");
        assertEquals("reauthorization_required", table.string("revoked", "status"));

        ZoomFake.Grant newAuthorisation = zoom.authorize();
        table.seed("revoked", newAuthorisation);
        assertEquals(newAuthorisation.accessToken(), one.accessToken("revoked"), "an operator's new token revives it");
    }

    @Test
    void aRejectedAccessTokenThatAnotherInstanceAlreadyReplacedIsNotRefreshedAgain() {
        ZoomFake.Grant grant = zoom.authorize();
        table.seed("replaced", grant);
        TokenRotation one = instance(settings);
        TokenRotation other = instance(settings);
        assertEquals(grant.accessToken(), one.accessToken("replaced"));
        assertEquals(grant.accessToken(), other.accessToken("replaced"));
        zoom.invalidateAccessTokens(grant.chainId());

        String replacedByOther = other.replaceRejected("replaced", grant.accessToken());
        String seenByOne = one.replaceRejected("replaced", grant.accessToken());

        assertEquals(replacedByOther, seenByOne);
        assertEquals(1, zoom.refreshCount(grant.chainId()));
    }

    @Test
    void aHolderStalledPastItsLeaseStillStoresItsRefreshAndTheTakerAdoptsIt() throws Exception {
        ZoomFake.Grant grant = zoom.authorize();
        table.seedExpired("stalled", grant);
        int invalidGrantsBefore = zoom.invalidGrantCount();
        TokenStore stallingStore = new StallingStore(store(), Duration.ofMillis(2500));
        TokenRotation stalled = new TokenRotation(stallingStore, NO_DEFAULT_ACCOUNT, tokenEndpoint, Clock.systemUTC(), settings(Duration.ofSeconds(1)), metrics);
        TokenRotation taker = instance(settings(Duration.ofSeconds(5)));

        Future<String> stalledResult = pool.submit(() -> stalled.accessToken("stalled"));
        Thread.sleep(1300); // the stalled holder's lease has run out; its refresh is done but not stored
        String takerToken = taker.accessToken("stalled");

        assertEquals(takerToken, stalledResult.get());
        assertEquals(zoom.currentAccessToken(grant.chainId()), takerToken);
        assertEquals(1, zoom.refreshCount(grant.chainId()));
        assertEquals(1, zoom.invalidGrantCount() - invalidGrantsBefore, "the taker's refresh with the rotated token");
        assertEquals(zoom.currentRefreshToken(grant.chainId()), table.string("stalled", "refreshToken"));
        assertEquals("active", table.string("stalled", "status"));
    }

    @Test
    void anUnknownConnectionIsAProblemWithoutAnyZoomCall() {
        int before = zoom.tokenRequestCount();
        ProblemException e = assertThrows(ProblemException.class, () -> instance(settings).accessToken("nobody-here"));
        assertEquals(ProblemType.CONNECTION_NOT_FOUND, e.type());
        assertEquals(before, zoom.tokenRequestCount());
    }

    private TokenRotation instance(TokenSettings instanceSettings) {
        return new TokenRotation(store(), NO_DEFAULT_ACCOUNT, tokenEndpoint, Clock.systemUTC(), instanceSettings, metrics);
    }

    private DynamoDbTokenStore store() {
        DynamoDbClient client = MotoServer.clientOf(dynamo.endpoint());
        clients.add(client);
        return new DynamoDbTokenStore(client, settings);
    }

    private TokenSettings settings(Duration leaseDuration) {
        return new TokenSettings() {
            public String table() {
                return settings.table();
            }

            public Duration refreshMargin() {
                return settings.refreshMargin();
            }

            public Duration leaseDuration() {
                return leaseDuration;
            }

            public Duration waitTimeout() {
                return settings.waitTimeout();
            }
        };
    }

    /** The real store, with an instance that stalls (a long GC pause, a slow network) just before it stores a refresh. */
    private record StallingStore(TokenStore store, Duration stall) implements TokenStore {
        public java.util.Optional<StoredToken> read(String connectionId) {
            return store.read(connectionId);
        }

        public WriteOutcome acquireRefreshLease(StoredToken seen, String owner, java.time.Instant leaseUntil, java.time.Instant now) {
            return store.acquireRefreshLease(seen, owner, leaseUntil, now);
        }

        public WriteOutcome storeRefreshed(StoredToken seen, TokenGrant grant) {
            try {
                Thread.sleep(stall.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return store.storeRefreshed(seen, grant);
        }

        public WriteOutcome releaseRefreshLease(StoredToken seen) {
            return store.releaseRefreshLease(seen);
        }

        public WriteOutcome markReauthorizationRequired(StoredToken seen) {
            return store.markReauthorizationRequired(seen);
        }
    }
}
