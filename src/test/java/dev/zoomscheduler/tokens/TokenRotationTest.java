package dev.zoomscheduler.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.zoomscheduler.connections.ConnectionError;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.testing.Await;
import dev.zoomscheduler.testing.AwsApiProxy;
import dev.zoomscheduler.testing.TokenRotations;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.ZoomAndAws;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The rotation protocol against the real pieces: moto_server (through the counting proxy) and the strict Zoom fake.
 * Each "instance" is an independent TokenRotation with its own DynamoDB client, memory and locks, as separate Lambda
 * instances would have; they share only the table and Zoom.
 */
@QuarkusTest
@QuarkusTestResource(ZoomAndAws.class)
class TokenRotationTest {

    /** The invocation has time for anything these tests do. */
    private static final Instant LATER = Instant.now().plus(Duration.ofHours(1));

    @Inject
    TokenRotations rotations;
    @Inject
    ZoomTokenEndpoint tokenEndpoint;
    @Inject
    TokenSettings settings;
    @Inject
    RefreshBudget budget;
    @Inject
    ClientSecret secret;

    final ZoomFake zoom = ZoomAndAws.zoom();
    final AwsApiProxy dynamo = ZoomAndAws.dynamo();
    final TokenTable table = TokenTable.shared();
    ExecutorService pool;

    @BeforeEach
    void setUp() {
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        rotations.closeClients();
    }

    @Test
    void instancesRacingOnAnExpiredTokenRefreshItOnceAndStoreTheLiveRefreshToken() throws Exception {
        ZoomFake.Grant grant = zoom.authorize();
        table.seedExpired("race", grant);
        List<TokenRotation> instances = List.of(rotations.instance().build(), rotations.instance().build(), rotations.instance().build());
        int threadsPerInstance = 8;
        dynamo.resetCounts();
        int tokenRequests = zoom.tokenRequestCount();

        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (TokenRotation instance : instances) {
            for (int thread = 0; thread < threadsPerInstance; thread++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return instance.accessToken("race", LATER);
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
                assertEquals(zoom.currentAccessToken(grant.chainId()), instance.accessToken("race", LATER));
            }
        }
        assertEquals(0, dynamo.total(), "a warm request makes no DynamoDB call");
    }

    @Test
    void aWarmInstanceRefreshesWithTwoWritesAndNoRead() {
        ZoomFake.Grant grant = zoom.authorize();
        table.seed("warm", grant);
        TokenRotation instance = rotations.instance().build();
        instance.accessToken("warm", LATER);
        zoom.invalidateAccessTokens(grant.chainId());
        dynamo.resetCounts();

        String replacement = instance.replaceRejected("warm", grant.accessToken(), LATER);

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

        String token = rotations.instance().build().accessToken("crashed-holder", LATER);

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
        TokenRotation one = rotations.instance().build();
        TokenRotation other = rotations.instance().build();

        ProblemException first = assertThrows(ProblemException.class, () -> one.accessToken("revoked", LATER));
        for (int i = 0; i < 5; i++) {
            for (TokenRotation instance : List.of(one, other)) {
                ProblemException again = assertThrows(ProblemException.class, () -> instance.accessToken("revoked", LATER));
                assertEquals(ProblemType.REAUTHORIZATION_REQUIRED, again.type());
            }
        }

        assertEquals(ProblemType.REAUTHORIZATION_REQUIRED, first.type());
        assertEquals(1, zoom.tokenRequestCount() - tokenRequestsBefore, "one refused refresh, then no retry storm");
        assertEquals("reauthorization_required", table.string("revoked", "status"));

        ZoomFake.Grant newAuthorisation = zoom.authorize();
        table.seed("revoked", newAuthorisation);
        assertEquals(newAuthorisation.accessToken(), one.accessToken("revoked", LATER), "an operator's new token revives it");
    }

    @Test
    void aRejectedAccessTokenThatAnotherInstanceAlreadyReplacedIsNotRefreshedAgain() {
        ZoomFake.Grant grant = zoom.authorize();
        table.seed("replaced", grant);
        TokenRotation one = rotations.instance().build();
        TokenRotation other = rotations.instance().build();
        assertEquals(grant.accessToken(), one.accessToken("replaced", LATER));
        assertEquals(grant.accessToken(), other.accessToken("replaced", LATER));
        zoom.invalidateAccessTokens(grant.chainId());

        String replacedByOther = other.replaceRejected("replaced", grant.accessToken(), LATER);
        String seenByOne = one.replaceRejected("replaced", grant.accessToken(), LATER);

        assertEquals(replacedByOther, seenByOne);
        assertEquals(1, zoom.refreshCount(grant.chainId()));
    }

    @Test
    void aHolderStalledPastItsLeaseStillStoresItsRefreshAndTheTakerAdoptsIt() throws Exception {
        ZoomFake.Grant grant = zoom.authorize();
        table.seedExpired("stalled", grant);
        int invalidGrantsBefore = zoom.invalidGrantCount();
        StallingStore stallingStore = new StallingStore(rotations.newStore(), Duration.ofMillis(800));
        TokenRotation stalled = rotations.instance().store(stallingStore).budget(rotations.shortBudget(Duration.ofSeconds(1))).build();
        TokenRotation taker = rotations.instance().budget(rotations.shortBudget(Duration.ofSeconds(5))).build();

        Future<String> stalledResult = pool.submit(() -> stalled.accessToken("stalled", LATER));
        Await.until("the stalled holder's lease has run out, its refresh done but not stored", Duration.ofSeconds(10),
                stallingStore::stalledPastItsLease);
        String takerToken = taker.accessToken("stalled", LATER);

        assertEquals(takerToken, stalledResult.get());
        assertEquals(zoom.currentAccessToken(grant.chainId()), takerToken);
        assertEquals(1, zoom.refreshCount(grant.chainId()));
        assertEquals(1, zoom.invalidGrantCount() - invalidGrantsBefore, "the taker's refresh with the rotated token");
        assertEquals(zoom.currentRefreshToken(grant.chainId()), table.string("stalled", "refreshToken"));
        assertEquals("active", table.string("stalled", "status"));
    }

    @Test
    void noRefreshBeginsThatTheInvocationCannotFinishAndStore() {
        ZoomFake.Grant grant = zoom.authorize();
        table.seedExpired("hurried", grant);
        int tokenRequests = zoom.tokenRequestCount();
        Instant soon = Instant.now().plusSeconds(2); // message 9 of a batch: less left than a token request's timeout

        ProblemException e = assertThrows(ProblemException.class, () -> rotations.instance().build().accessToken("hurried", soon));

        assertEquals(ProblemType.INVOCATION_TIME_SHORT, e.type());
        assertEquals(503, e.status());
        assertEquals(Duration.ofSeconds(1), e.retryAfter());
        assertEquals(tokenRequests, zoom.tokenRequestCount(), "Zoom's token endpoint was not called");
        assertEquals(1, table.number("hurried", "version"), "nothing written, not even a lease");
        assertTrue(zoom.isLive(grant.chainId()));
        String later = rotations.instance().build().accessToken("hurried", LATER);
        assertEquals(zoom.currentAccessToken(grant.chainId()), later, "later, with time, the chain goes on");
    }

    @Test
    void withTooLittleTimeLeftAStillValidTokenInsideTheMarginIsUsedAsItIs() {
        ZoomFake.Grant grant = zoom.authorize();
        table.seed("inside-margin", grant.accessToken(), grant.refreshToken(), Instant.now().getEpochSecond() + 60);
        int tokenRequests = zoom.tokenRequestCount();

        assertEquals(grant.accessToken(), rotations.instance().build().accessToken("inside-margin", Instant.now().plusSeconds(2)));
        assertEquals(tokenRequests, zoom.tokenRequestCount());
    }

    @Test
    void theDefaultLeaseOutlastsItsHoldersWorstCase() {
        // from before the write that takes the lease: that write, the secret's read, the token request, the store's attempts
        Duration worstCase = budget.storeCall().plus(secret.longestFirstRead()).plus(budget.tokenCall()).plus(budget.store());
        System.out.printf("lease %s, worst case of its holder %s (lease write %s, token request %s, store %s)%n", budget.lease(),
                worstCase, budget.storeCall(), budget.tokenCall(), budget.store());
        assertTrue(budget.lease().compareTo(worstCase) > 0);
        assertTrue(budget.lease().compareTo(settings.leaseDuration()) >= 0, "TOKEN_LEASE_SECONDS is a floor");
    }

    @Test
    void aTakerWithTooLittleTimeToWaitOutTheFormerHolderLeavesTheDecisionToALaterRequest() throws Exception {
        ZoomFake.Grant grant = zoom.authorize();
        table.seedExpired("undecided", grant);
        // The former holder refreshed (Zoom rotated the chain) and its lease has just lapsed; its store may still come.
        TokenGrant refreshedByFormerHolder = tokenEndpoint.refresh(grant.refreshToken());
        table.leaveLease("undecided", "former-holder", System.currentTimeMillis() - 100);
        Instant takerDeadline = Instant.now().plusMillis(2000); // enough for a refresh, not for the former holder's skew

        ProblemException e = assertThrows(ProblemException.class,
                () -> rotations.instance().budget(rotations.shortBudget(Duration.ofSeconds(1))).build().accessToken("undecided", takerDeadline));

        assertEquals(ProblemType.INVOCATION_TIME_SHORT, e.type());
        assertEquals(null, table.string("undecided", "status"), "not declared lost");
        TokenStore former = rotations.newStore();
        StoredToken seen = former.read("undecided").orElseThrow();
        assertTrue(former.storeRefreshed(seen, refreshedByFormerHolder, "former-holder-store").applied(),
                "the former holder's store still lands");
        assertEquals(refreshedByFormerHolder.accessToken(), rotations.instance().build().accessToken("undecided", LATER));
        assertTrue(zoom.isLive(grant.chainId()), "the chain is intact");
    }

    @Test
    void aConnectionDeletedWhileItsTokensWereRefreshedGetsTheNewOnesRevokedNotServed() {
        ZoomFake.Grant grant = zoom.authorize();
        table.seedExpired("deleted-midway", grant);
        int revocations = zoom.revocationCount();
        TokenRotation instance = rotations.instance().store(new DeletingStore(rotations.newStore(), table)).build();

        ProblemException e = assertThrows(ProblemException.class, () -> instance.accessToken("deleted-midway", LATER));

        assertEquals(ProblemType.CONNECTION_NOT_FOUND, e.type());
        assertEquals(1, zoom.refreshCount(grant.chainId()));
        assertEquals(revocations + 1, zoom.revocationCount(), "the refreshed grant was revoked");
        assertFalse(zoom.isLive(grant.chainId()));
        assertEquals(ProblemType.CONNECTION_NOT_FOUND,
                assertThrows(ProblemException.class, () -> instance.accessToken("deleted-midway", LATER)).type(),
                "not kept in memory and served");
    }

    @Test
    void anItemSeededWithoutVersionIsReadAsVersionZeroAndRefreshed() {
        ZoomFake.Grant grant = zoom.authorize();
        table.seedExpired("no-version", grant);
        table.removeAttribute("no-version", "version");
        dynamo.resetCounts();

        String token = rotations.instance().build().accessToken("no-version", LATER);

        assertEquals(zoom.currentAccessToken(grant.chainId()), token);
        assertEquals(2, table.number("no-version", "version"), "the lease wrote 1, the store 2");
        assertEquals(2, dynamo.count("UpdateItem"), "no loop of failed conditions");
    }

    @Test
    void anUnknownConnectionIsAProblemWithoutAnyZoomCall() {
        int before = zoom.tokenRequestCount();
        ProblemException e = assertThrows(ProblemException.class, () -> rotations.instance().build().accessToken("nobody-here", LATER));
        assertEquals(ProblemType.CONNECTION_NOT_FOUND, e.type());
        assertEquals(before, zoom.tokenRequestCount());
    }

    /** The real store, where the connection is deleted (DELETE /connections/{id} elsewhere) just before the refresh is stored. */
    private record DeletingStore(TokenStore store, TokenTable table) implements TokenStore {
        public java.util.Optional<StoredToken> read(String connectionId) {
            return store.read(connectionId);
        }

        public WriteOutcome acquireRefreshLease(StoredToken seen, String owner, Instant until, Instant now, String writeId) {
            return store.acquireRefreshLease(seen, owner, until, now, writeId);
        }

        public WriteOutcome storeRefreshed(StoredToken seen, TokenGrant grant, String writeId) {
            table.delete(seen.connectionId());
            return store.storeRefreshed(seen, grant, writeId);
        }

        public WriteOutcome releaseRefreshLease(StoredToken seen, ConnectionError failure, String writeId) {
            return store.releaseRefreshLease(seen, failure, writeId);
        }

        public WriteOutcome markReauthorizationRequired(StoredToken seen, ConnectionError why, boolean eventPending, String writeId) {
            return store.markReauthorizationRequired(seen, why, eventPending, writeId);
        }
    }

    /**
     * The real store, with an instance that stalls (a long GC pause, a slow network) just before it stores a refresh: until
     * its lease has run out, and {@code overrun} more (within the clock skew a taker allows for).
     */
    private static final class StallingStore implements TokenStore {
        private final TokenStore store;
        private final Duration overrun;
        private volatile java.time.Instant leaseUntil;
        private volatile boolean stalling;

        StallingStore(TokenStore store, Duration overrun) {
            this.store = store;
            this.overrun = overrun;
        }

        public java.util.Optional<StoredToken> read(String connectionId) {
            return store.read(connectionId);
        }

        public WriteOutcome acquireRefreshLease(StoredToken seen, String owner, java.time.Instant until, java.time.Instant now,
                String writeId) {
            leaseUntil = until;
            return store.acquireRefreshLease(seen, owner, until, now, writeId);
        }

        /** Its refresh is done and not stored, and its lease has run out: another instance may take it over. */
        boolean stalledPastItsLease() {
            return stalling && Instant.now().isAfter(leaseUntil);
        }

        public WriteOutcome storeRefreshed(StoredToken seen, TokenGrant grant, String writeId) {
            stalling = true;
            try {
                Thread.sleep(Math.max(0, leaseUntil.plus(overrun).toEpochMilli() - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return store.storeRefreshed(seen, grant, writeId);
        }

        public WriteOutcome releaseRefreshLease(StoredToken seen, ConnectionError failure, String writeId) {
            return store.releaseRefreshLease(seen, failure, writeId);
        }

        public WriteOutcome markReauthorizationRequired(StoredToken seen, ConnectionError why, boolean eventPending, String writeId) {
            return store.markReauthorizationRequired(seen, why, eventPending, writeId);
        }
    }
}
