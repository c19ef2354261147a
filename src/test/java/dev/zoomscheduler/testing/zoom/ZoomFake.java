package dev.zoomscheduler.testing.zoom;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A strict stand-in for Zoom on a loopback port, built from what Zoom really does, as the tests use it: its OAuth server
 * ({@link OAuthServer}: rotating refresh tokens, expiring access tokens refused with 401 code 124, the install flow's
 * consent page, revocation), its meetings API ({@link MeetingsApi}: checked fields, occurrences of recurring meetings, the
 * daily limit), its users ({@link Users}), and faults a test injects ({@link InjectedFaults}). Every token request and API
 * call is counted, and every API call recorded.
 */
public final class ZoomFake implements AutoCloseable {

    public static final String CLIENT_ID = "fake-client-id";
    public static final String CLIENT_SECRET = "fake-client-secret";
    /** The secret token of the app's event subscription, with which the fake's webhooks are signed ({@link ZoomWebhooks}). */
    public static final String WEBHOOK_SECRET_TOKEN = "fake-webhook-secret-token";
    /** The account every user of the fake belongs to (GET /users/me). */
    public static final String USER_ACCOUNT_ID = "fake-user-account";

    /** One authorisation of the app by a user, as Zoom's token endpoint answered it. */
    public record Grant(String chainId, String userId, String accessToken, String refreshToken, long expiresAtEpochSeconds,
            String scope) {
    }

    /** One request that reached {@code /v2}: header names lower-case. */
    public record RecordedRequest(String method, String path, String query, Map<String, String> headers, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "zoom-fake");
        thread.setDaemon(true);
        return thread;
    });

    private final IssuedSecrets secrets = new IssuedSecrets(CLIENT_SECRET, WEBHOOK_SECRET_TOKEN);
    private final Users users = new Users();
    private final OAuthServer oauth = new OAuthServer(users, secrets);
    private final MeetingsApi api = new MeetingsApi(users);
    private final InjectedFaults faults = new InjectedFaults();
    private final List<RecordedRequest> apiRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger apiCalls = new AtomicInteger();

    private ZoomFake(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static ZoomFake start() {
        return start(0);
    }

    public static ZoomFake start(int port) {
        try {
            return new ZoomFake(port);
        } catch (IOException e) {
            throw new IllegalStateException("The Zoom fake could not listen on port " + port, e);
        }
    }

    public String apiUrl() {
        return oauthUrl() + "/v2";
    }

    public String oauthUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- tokens -------------------------------------------------------------------------------------------------

    /** A new user authorises the app. */
    public Grant authorize() {
        return oauth.authorize();
    }

    /** {@code userId} authorises the app (again): a new chain, which leaves the user's older ones as they are. */
    public Grant authorize(String userId) {
        return oauth.authorize(userId);
    }

    public String currentRefreshToken(String chainId) {
        return oauth.currentRefreshToken(chainId);
    }

    public String currentAccessToken(String chainId) {
        return oauth.currentAccessToken(chainId);
    }

    /** The user removes the app: the chain's tokens die. */
    public void revoke(String chainId) {
        oauth.revoke(chainId);
    }

    /** Whether the chain's current refresh token still works (not revoked, not rotated away by a refresh nobody stored). */
    public boolean isLive(String chainId) {
        return oauth.isLive(chainId);
    }

    public void invalidateAccessTokens(String chainId) {
        oauth.invalidateAccessTokens(chainId);
    }

    public void accessTokenLifetime(Duration lifetime) {
        oauth.accessTokenLifetime(lifetime);
    }

    public void oldAccessTokenDiesOnRefresh(boolean dies) {
        oauth.oldAccessTokenDiesOnRefresh(dies);
    }

    /** A Server-to-Server account whose {@code account_credentials} token requests the fake grants. */
    public void addAccount(String accountId) {
        oauth.addAccount(accountId);
    }

    public void addUser(String userId, String email) {
        users.add(userId, email);
    }

    /** The next authorize redirect carries {@code error=access_denied}, as when the user declines. */
    public void denyNextConsent() {
        oauth.denyNextConsent();
    }

    // ---- counters -----------------------------------------------------------------------------------------------

    public int refreshCount() {
        return oauth.refreshCount();
    }

    public int refreshCount(String chainId) {
        return oauth.refreshCount(chainId);
    }

    public int invalidGrantCount() {
        return oauth.invalidGrantCount();
    }

    public int tokenRequestCount() {
        return oauth.tokenRequestCount();
    }

    /** Tokens revoked through {@code POST /oauth/revoke}. */
    public int revocationCount() {
        return oauth.revocationCount();
    }

    public int accountTokenCount() {
        return oauth.accountTokenCount();
    }

    public int apiCallCount() {
        return apiCalls.get();
    }

    public List<RecordedRequest> apiRequests() {
        return List.copyOf(apiRequests);
    }

    public void resetCounters() {
        oauth.resetCounters();
        apiCalls.set(0);
        apiRequests.clear();
    }

    // ---- meetings -----------------------------------------------------------------------------------------------

    public ObjectNode meeting(long id) {
        return api.meeting(id);
    }

    public List<ObjectNode> meetings() {
        return api.meetings();
    }

    /** Every occurrence of a recurring meeting, deleted ones included ({@code status} {@code deleted}). */
    public List<ObjectNode> occurrences(long meetingId) {
        return api.occurrences(meetingId);
    }

    public int meetingCount() {
        return api.meetingCount();
    }

    /** Zoom's clock (its meetings' {@code created_at}) runs {@code offset} from this machine's: skew, or a create long ago. */
    public void clockOffset(Duration offset) {
        api.clockOffset(offset);
    }

    /**
     * A meeting is created with this id whenever no meeting has it, so that the sample events of events/ (which name
     * one meeting id) can be sent one after another, as in the {@code sam local invoke} steps of docs/deployment.md.
     */
    public void createWithIdWhileFree(long id) {
        api.createWithIdWhileFree(id);
    }

    public void dailyCreateUpdateLimit(int limit) {
        api.dailyCreateUpdateLimit(limit);
    }

    // ---- faults -------------------------------------------------------------------------------------------------

    /** Forgets the faults that have not happened yet. */
    public void clearFaults() {
        faults.clear();
    }

    /** The next {@code times} matching requests are answered {@code status} with these headers and body; Zoom does nothing. */
    public void failNext(String method, String pathRegex, int times, int status, Map<String, String> headers, String body) {
        faults.answerNext(method, pathRegex, times, status, headers, body);
    }

    /** The next {@code times} matching requests see their connection closed before any answer; Zoom does nothing. */
    public void dropNext(String method, String pathRegex, int times) {
        faults.next(method, pathRegex, times, InjectedFaults.Kind.DROP, Duration.ZERO);
    }

    /** The next {@code times} matching requests are held back {@code delay}, then carried out. */
    public void delayNext(String method, String pathRegex, int times, Duration delay) {
        faults.next(method, pathRegex, times, InjectedFaults.Kind.DELAY, delay);
    }

    /** The next {@code times} matching requests are carried out, but their answer is lost: the connection drops instead. */
    public void loseAnswerNext(String method, String pathRegex, int times) {
        faults.next(method, pathRegex, times, InjectedFaults.Kind.LOSE_ANSWER, Duration.ZERO);
    }

    /** The next {@code times} matching requests are carried out at once, but answered only after {@code delay}. */
    public void answerLateNext(String method, String pathRegex, int times, Duration delay) {
        faults.next(method, pathRegex, times, InjectedFaults.Kind.ANSWER_LATE, delay);
    }

    /** Every answer comes {@code latency} late. */
    public void latency(Duration latency) {
        faults.latency(latency);
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Request request = new Request(exchange, body);
            if (request.path.startsWith("/v2/") || request.path.equals("/v2")) {
                apiCalls.incrementAndGet();
                apiRequests.add(new RecordedRequest(request.method, request.path, request.query, request.headers(), request.text()));
            }
            sleep(faults.latency());
            InjectedFaults.Fault fault = faults.take(request);
            if (fault != null) {
                switch (fault.kind()) {
                    case DROP:
                        return; // closing an exchange before any answer closes the connection: the client sees it drop
                    case DELAY:
                        sleep(fault.delay());
                        break;
                    case ANSWER:
                        fault.answer().send(exchange);
                        return;
                    case LOSE_ANSWER:
                        route(request);
                        return;
                    case ANSWER_LATE:
                        Answer done = route(request);
                        sleep(fault.delay());
                        done.send(exchange);
                        return;
                }
            }
            route(request).send(exchange);
        } catch (RuntimeException e) {
            new Answer(500, Map.of(), "{\"code\":500,\"message\":\"Fake failure: " + e + "\"}").send(exchange);
        }
    }

    /** Which part of Zoom answers: the OAuth server, or (for an authenticated caller) the users and meetings API. */
    private Answer route(Request request) {
        String path = request.path;
        if (path.equals("/oauth/token")) {
            return request.method.equals("POST") ? oauth.token(request) : Answer.notAllowed();
        }
        if (path.equals("/oauth/authorize")) {
            return request.method.equals("GET") ? oauth.authorizePage(request) : Answer.notAllowed();
        }
        if (path.equals("/oauth/revoke")) {
            return request.method.equals("POST") ? oauth.revokeToken(request) : Answer.notAllowed();
        }
        if (!path.startsWith("/v2/")) {
            return Answer.notFound();
        }
        OAuthServer.AccessToken caller = oauth.authenticate(request);
        if (caller == null) {
            return Answer.error(401, 124, "Invalid access token.");
        }
        if (path.equals("/v2/users/me")) {
            return request.method.equals("GET") ? users.me(caller) : Answer.notAllowed();
        }
        return api.route(request, caller);
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
