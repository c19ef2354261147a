package dev.zoomscheduler.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A strict stand-in for Zoom (OAuth and the meetings API), built from what Zoom really does: refresh
 * tokens rotate and the old one dies at once, reuse answers 400 {@code invalid_grant}, access tokens expire and are then
 * refused with 401 code 124, tokens are accepted only in the body and the Authorization header, meeting fields are
 * checked, the daily create/update limit answers 429. A recurring meeting with a fixed time (type 8) has occurrences, each
 * read, changed or deleted alone with {@code occurrence_id} (an epoch-millisecond string); a query parameter a meeting route
 * does not take is refused. Faults (status answers, delays, dropped connections) can be injected, and every token request
 * and API call is counted and recorded.
 */
public final class ZoomFake implements AutoCloseable {

    public static final String CLIENT_ID = "fake-client-id";
    public static final String CLIENT_SECRET = "fake-client-secret";
    /** The secret token of the app's event subscription, with which the fake signs the webhooks it sends. */
    public static final String WEBHOOK_SECRET_TOKEN = "fake-webhook-secret-token";
    /** The account every user of the fake belongs to (GET /users/me). */
    public static final String USER_ACCOUNT_ID = "fake-user-account";
    static final String SCOPE = "meeting:read meeting:write user:read";

    /** One authorisation of the app by a user, as Zoom's token endpoint answered it. */
    public record Grant(String chainId, String userId, String accessToken, String refreshToken, long expiresAtEpochSeconds,
            String scope) {
    }

    /** One request that reached {@code /v2}: header names lower-case. */
    public record RecordedRequest(String method, String path, String query, Map<String, String> headers, String body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9@\\-_*]{1,10}");
    private static final Pattern USER_MEETINGS = Pattern.compile("/v2/users/([^/]+)/meetings");
    private static final Pattern MEETING = Pattern.compile("/v2/meetings/([^/]+)");
    private static final Set<Integer> TYPES = Set.of(1, 2, 3, 8);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "zoom-fake");
        thread.setDaemon(true);
        return thread;
    });

    /** Guards all token, user and meeting state: the fake is small, one lock keeps every rotation atomic. */
    private final Object lock = new Object();
    private final Map<String, Chain> chains = new HashMap<>();
    private final Map<String, String> liveRefreshTokens = new HashMap<>();
    private final Map<String, AccessToken> accessTokens = new HashMap<>();
    private final Map<String, String> users = new HashMap<>();
    private final Set<String> accounts = ConcurrentHashMap.newKeySet();
    private final Map<String, AuthorizationCode> codes = new HashMap<>();
    private final Map<Long, ObjectNode> meetings = new LinkedHashMap<>();
    private final Map<String, Integer> createsAndUpdatesPerDay = new HashMap<>();
    private final Set<String> pageTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> issuedSecrets = ConcurrentHashMap.newKeySet();

    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> apiRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger refreshes = new AtomicInteger();
    private final AtomicInteger invalidGrants = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger accountTokens = new AtomicInteger();
    private final AtomicInteger revocations = new AtomicInteger();
    private final AtomicInteger apiCalls = new AtomicInteger();
    private final AtomicInteger userSequence = new AtomicInteger();
    private final AtomicLong meetingSequence = new AtomicLong(81_000_000_000L + RANDOM.nextInt(1_000_000) * 1000L);

    private volatile Duration accessTokenLifetime = Duration.ofSeconds(3599);
    private volatile boolean oldAccessTokenDiesOnRefresh;
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration clockOffset = Duration.ZERO;
    private volatile int dailyCreateUpdateLimit = 100;
    private volatile boolean denyNextConsent;
    private volatile Long sampleMeetingId;

    private ZoomFake(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        issuedSecrets.add(CLIENT_SECRET);
        recordSecret(CLIENT_SECRET);
        issuedSecrets.add(WEBHOOK_SECRET_TOKEN);
        recordSecret(WEBHOOK_SECRET_TOKEN);
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

    public Grant authorize() {
        return authorize("user-" + userSequence.incrementAndGet() + "-" + token(6));
    }

    public Grant authorize(String userId) {
        synchronized (lock) {
            users.putIfAbsent(userId, userId.toLowerCase(Locale.ROOT) + "@example.com");
            Chain chain = new Chain("chain-" + token(8), userId);
            chains.put(chain.id, chain);
            return rotate(chain);
        }
    }

    public String currentRefreshToken(String chainId) {
        synchronized (lock) {
            return chain(chainId).refreshToken;
        }
    }

    public String currentAccessToken(String chainId) {
        synchronized (lock) {
            return chain(chainId).accessToken;
        }
    }

    public void revoke(String chainId) {
        synchronized (lock) {
            Chain chain = chain(chainId);
            chain.revoked = true;
            liveRefreshTokens.remove(chain.refreshToken);
            accessTokens.values().removeIf(token -> chainId.equals(token.chainId));
        }
    }

    /** Whether the chain's current refresh token still works (not revoked, not rotated away by a refresh nobody stored). */
    public boolean isLive(String chainId) {
        synchronized (lock) {
            Chain chain = chain(chainId);
            return !chain.revoked && liveRefreshTokens.containsKey(chain.refreshToken);
        }
    }

    public void invalidateAccessTokens(String chainId) {
        synchronized (lock) {
            accessTokens.values().removeIf(token -> chainId.equals(token.chainId));
        }
    }

    public void accessTokenLifetime(Duration lifetime) {
        this.accessTokenLifetime = lifetime;
    }

    public void oldAccessTokenDiesOnRefresh(boolean dies) {
        this.oldAccessTokenDiesOnRefresh = dies;
    }

    public Set<String> issuedSecrets() {
        return Set.copyOf(issuedSecrets);
    }

    public void addAccount(String accountId) {
        accounts.add(accountId);
    }

    public void addUser(String userId, String email) {
        synchronized (lock) {
            users.put(userId, email);
        }
    }

    /** The next authorize redirect carries {@code error=access_denied}, as when the user declines. */
    public void denyNextConsent() {
        denyNextConsent = true;
    }

    // ---- counters -----------------------------------------------------------------------------------------------

    public int refreshCount() {
        return refreshes.get();
    }

    public int refreshCount(String chainId) {
        synchronized (lock) {
            return chain(chainId).refreshes;
        }
    }

    public int invalidGrantCount() {
        return invalidGrants.get();
    }

    public int tokenRequestCount() {
        return tokenRequests.get();
    }

    /** Tokens revoked through {@code POST /oauth/revoke}. */
    public int revocationCount() {
        return revocations.get();
    }

    public int accountTokenCount() {
        return accountTokens.get();
    }

    public int apiCallCount() {
        return apiCalls.get();
    }

    public List<RecordedRequest> apiRequests() {
        return List.copyOf(apiRequests);
    }

    public void resetCounters() {
        refreshes.set(0);
        invalidGrants.set(0);
        tokenRequests.set(0);
        accountTokens.set(0);
        apiCalls.set(0);
        apiRequests.clear();
    }

    // ---- meetings -----------------------------------------------------------------------------------------------

    public ObjectNode meeting(long id) {
        synchronized (lock) {
            ObjectNode meeting = meetings.get(id);
            return meeting == null ? null : meeting.deepCopy();
        }
    }

    public List<ObjectNode> meetings() {
        synchronized (lock) {
            return meetings.values().stream().map(ObjectNode::deepCopy).toList();
        }
    }

    /** Every occurrence of a recurring meeting, deleted ones included ({@code status} {@code deleted}). */
    public List<ObjectNode> occurrences(long meetingId) {
        synchronized (lock) {
            ObjectNode meeting = meetings.get(meetingId);
            List<ObjectNode> all = new java.util.ArrayList<>();
            if (meeting != null) {
                meeting.path("occurrences").forEach(occurrence -> all.add(((ObjectNode) occurrence).deepCopy()));
            }
            return all;
        }
    }

    public int meetingCount() {
        synchronized (lock) {
            return meetings.size();
        }
    }

    // ---- faults -------------------------------------------------------------------------------------------------

    /** Forgets the faults that have not happened yet. */
    public void clearFaults() {
        faults.clear();
    }

    public void failNext(String method, String pathRegex, int times, int status, Map<String, String> headers, String body) {
        faults.add(new Fault(method, Pattern.compile(pathRegex), new AtomicInteger(times), FaultKind.ANSWER, status, headers, body,
                Duration.ZERO));
    }

    public void dropNext(String method, String pathRegex, int times) {
        faults.add(new Fault(method, Pattern.compile(pathRegex), new AtomicInteger(times), FaultKind.DROP, 0, Map.of(), null,
                Duration.ZERO));
    }

    public void delayNext(String method, String pathRegex, int times, Duration delay) {
        faults.add(new Fault(method, Pattern.compile(pathRegex), new AtomicInteger(times), FaultKind.DELAY, 0, Map.of(), null, delay));
    }

    /** The next {@code times} matching requests are carried out, but their answer is lost: the connection drops instead. */
    public void loseAnswerNext(String method, String pathRegex, int times) {
        faults.add(new Fault(method, Pattern.compile(pathRegex), new AtomicInteger(times), FaultKind.LOSE_ANSWER, 0, Map.of(), null,
                Duration.ZERO));
    }

    /** The next {@code times} matching requests are carried out at once, but answered only after {@code delay}. */
    public void answerLateNext(String method, String pathRegex, int times, Duration delay) {
        faults.add(new Fault(method, Pattern.compile(pathRegex), new AtomicInteger(times), FaultKind.ANSWER_LATE, 0, Map.of(), null, delay));
    }

    public void latency(Duration latency) {
        this.latency = latency;
    }

    /** Zoom's clock (its meetings' {@code created_at}) runs {@code offset} from this machine's: skew, or a create long ago. */
    public void clockOffset(Duration offset) {
        this.clockOffset = offset;
    }

    /**
     * A meeting is created with this id whenever no meeting has it, so that the sample events of events/ (which name
     * one meeting id) can be sent one after another, as in README's {@code sam local invoke} steps.
     */
    public void createWithIdWhileFree(long id) {
        sampleMeetingId = id;
    }

    public void dailyCreateUpdateLimit(int limit) {
        this.dailyCreateUpdateLimit = limit;
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
            sleep(latency);
            Fault fault = takeFault(request);
            if (fault != null) {
                switch (fault.kind) {
                    case DROP:
                        return; // closing an exchange before any answer closes the connection: the client sees it drop
                    case DELAY:
                        sleep(fault.delay);
                        break;
                    case ANSWER:
                        send(exchange, new Answer(fault.status, fault.headers, fault.body == null ? "" : fault.body));
                        return;
                    case LOSE_ANSWER:
                        route(request);
                        return;
                    case ANSWER_LATE:
                        Answer done = route(request);
                        sleep(fault.delay);
                        send(exchange, done);
                        return;
                }
            }
            send(exchange, route(request));
        } catch (RuntimeException e) {
            send(exchange, new Answer(500, Map.of(), "{\"code\":500,\"message\":\"Fake failure: " + e + "\"}"));
        }
    }

    private Answer route(Request request) {
        String path = request.path;
        if (path.equals("/oauth/token")) {
            return request.method.equals("POST") ? token(request) : notAllowed();
        }
        if (path.equals("/oauth/authorize")) {
            return request.method.equals("GET") ? authorizePage(request) : notAllowed();
        }
        if (path.equals("/oauth/revoke")) {
            return request.method.equals("POST") ? revokeToken(request) : notAllowed();
        }
        if (!path.startsWith("/v2/")) {
            return error(404, 404, "Not found");
        }
        AccessToken caller = authenticate(request);
        if (caller == null) {
            return error(401, 124, "Invalid access token.");
        }
        if (path.equals("/v2/users/me")) {
            return request.method.equals("GET") ? me(caller) : notAllowed();
        }
        Matcher userMeetings = USER_MEETINGS.matcher(path);
        if (userMeetings.matches()) {
            String userId = resolveUser(caller, decode(userMeetings.group(1)));
            if (userId == null) {
                return error(404, 1001, "User does not exist: " + decode(userMeetings.group(1)) + ".");
            }
            return switch (request.method) {
                case "POST" -> createMeeting(request, userId);
                case "GET" -> listMeetings(request, userId);
                default -> notAllowed();
            };
        }
        Matcher meeting = MEETING.matcher(path);
        if (meeting.matches()) {
            Long id = meetingId(meeting.group(1));
            return switch (request.method) {
                case "GET" -> getMeeting(request, id, meeting.group(1));
                case "PATCH" -> updateMeeting(request, id, meeting.group(1), caller);
                case "DELETE" -> deleteMeeting(request, id, meeting.group(1));
                default -> notAllowed();
            };
        }
        return error(404, 404, "Not found");
    }

    private Answer me(AccessToken caller) {
        synchronized (lock) {
            return json(200, JSON.createObjectNode()
                    .put("id", caller.userId)
                    .put("email", users.get(caller.userId))
                    .put("type", 2)
                    .put("account_id", caller.accountId != null ? caller.accountId : USER_ACCOUNT_ID));
        }
    }

    // ---- webhooks -----------------------------------------------------------------------------------------------

    /**
     * The headers with which Zoom would send {@code body} to a webhook endpoint at {@code epochSeconds}: the timestamp
     * and {@code v0=hex(HMAC-SHA256(secret token, "v0:" + timestamp + ":" + body))}.
     */
    public static Map<String, String> webhookHeaders(String body, long epochSeconds) {
        String signature = "v0=" + hmacHex(WEBHOOK_SECRET_TOKEN, "v0:" + epochSeconds + ":" + body);
        return Map.of("x-zm-request-timestamp", Long.toString(epochSeconds), "x-zm-signature", signature);
    }

    /** Zoom's expected answer to a URL validation challenge. */
    public static String encryptedToken(String plainToken) {
        return hmacHex(WEBHOOK_SECRET_TOKEN, plainToken);
    }

    private static String hmacHex(String key, String message) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- OAuth --------------------------------------------------------------------------------------------------

    private Answer token(Request request) {
        tokenRequests.incrementAndGet();
        if (!basicAuthorized(request)) {
            return oauthError(401, "invalid_client", "Invalid client_id or client_secret");
        }
        if (!request.query.isEmpty()) {
            return oauthError(400, "invalid_request", "Parameters must be sent in the request body");
        }
        if (!request.contentType().startsWith("application/x-www-form-urlencoded")) {
            return oauthError(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
        }
        Map<String, String> form = parseForm(request.text());
        String grantType = form.getOrDefault("grant_type", "");
        return switch (grantType) {
            case "refresh_token" -> refresh(form.get("refresh_token"));
            case "account_credentials" -> accountToken(form.get("account_id"));
            case "authorization_code" -> exchangeCode(form.get("code"), form.get("redirect_uri"));
            default -> oauthError(400, "unsupported_grant_type", "Unsupported grant type");
        };
    }

    private Answer refresh(String refreshToken) {
        synchronized (lock) {
            String chainId = refreshToken == null ? null : liveRefreshTokens.get(refreshToken);
            if (chainId == null) {
                invalidGrants.incrementAndGet();
                return oauthError(400, "invalid_grant", "Invalid Token!");
            }
            Chain chain = chains.get(chainId);
            liveRefreshTokens.remove(refreshToken); // dies at once: Zoom has no grace period
            if (oldAccessTokenDiesOnRefresh) {
                accessTokens.remove(chain.accessToken);
            }
            chain.refreshes++;
            refreshes.incrementAndGet();
            return tokenAnswer(rotate(chain));
        }
    }

    private Answer accountToken(String accountId) {
        if (accountId == null || !accounts.contains(accountId)) {
            return oauthError(400, "invalid_request", "Invalid account_id");
        }
        synchronized (lock) {
            String adminUser = "admin-" + accountId;
            users.putIfAbsent(adminUser, adminUser + "@example.com");
            String accessToken = jwtLike();
            long expiresAt = System.currentTimeMillis() + accessTokenLifetime.toMillis();
            accessTokens.put(accessToken, new AccessToken(null, accountId, adminUser, expiresAt));
            accountTokens.incrementAndGet();
            ObjectNode answer = JSON.createObjectNode()
                    .put("access_token", accessToken)
                    .put("token_type", "bearer")
                    .put("expires_in", accessTokenLifetime.toSeconds())
                    .put("scope", SCOPE)
                    .put("api_url", "https://api.zoom.us");
            return json(200, answer);
        }
    }

    private Answer exchangeCode(String code, String redirectUri) {
        synchronized (lock) {
            AuthorizationCode issued = code == null ? null : codes.remove(code);
            if (issued == null || !issued.redirectUri.equals(redirectUri) || issued.expiresAt < System.currentTimeMillis()) {
                invalidGrants.incrementAndGet();
                return oauthError(400, "invalid_grant", "Invalid authorization code");
            }
            Chain chain = new Chain("chain-" + token(8), issued.userId);
            chains.put(chain.id, chain);
            return tokenAnswer(rotate(chain));
        }
    }

    private Answer authorizePage(Request request) {
        Map<String, String> query = parseForm(request.query);
        String redirectUri = query.get("redirect_uri");
        if (!CLIENT_ID.equals(query.get("client_id")) || !"code".equals(query.get("response_type")) || redirectUri == null) {
            return new Answer(400, Map.of("Content-Type", "text/html"), "<p>Invalid client_id or request</p>");
        }
        String state = query.get("state") == null ? "" : "&state=" + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
        String separator = redirectUri.contains("?") ? "&" : "?";
        if (denyNextConsent) {
            denyNextConsent = false;
            return new Answer(302, Map.of("Location", redirectUri + separator + "error=access_denied" + state), "");
        }
        String code = token(24);
        issuedSecrets.add(code); // an authorisation code is a credential until it is exchanged: it must not be logged either
        recordSecret(code);
        synchronized (lock) {
            String userId = "user-" + userSequence.incrementAndGet() + "-" + token(6);
            users.put(userId, userId + "@example.com");
            codes.put(code, new AuthorizationCode(redirectUri, userId, System.currentTimeMillis() + 600_000));
        }
        return new Answer(302, Map.of("Location", redirectUri + separator + "code=" + code + state), "");
    }

    private Answer revokeToken(Request request) {
        if (!basicAuthorized(request)) {
            return oauthError(401, "invalid_client", "Invalid client_id or client_secret");
        }
        String token = parseForm(request.text()).get("token");
        synchronized (lock) {
            String chainId = liveRefreshTokens.get(token);
            if (chainId == null && token != null && accessTokens.containsKey(token)) {
                chainId = accessTokens.get(token).chainId;
                if (chainId == null) { // a Server-to-Server token: it alone dies
                    accessTokens.remove(token);
                    revocations.incrementAndGet();
                    return json(200, JSON.createObjectNode().put("status", "success"));
                }
            }
            if (chainId == null) {
                return oauthError(400, "invalid_request", "Invalid token");
            }
            revocations.incrementAndGet();
            revoke(chainId);
        }
        return json(200, JSON.createObjectNode().put("status", "success"));
    }

    /** Issues a new access and refresh token for the chain; the caller holds the lock. */
    private Grant rotate(Chain chain) {
        chain.refreshToken = jwtLike();
        chain.accessToken = jwtLike();
        long expiresAtMillis = System.currentTimeMillis() + accessTokenLifetime.toMillis();
        liveRefreshTokens.put(chain.refreshToken, chain.id);
        accessTokens.put(chain.accessToken, new AccessToken(chain.id, null, chain.userId, expiresAtMillis));
        return new Grant(chain.id, chain.userId, chain.accessToken, chain.refreshToken, expiresAtMillis / 1000, SCOPE);
    }

    private Answer tokenAnswer(Grant grant) {
        return json(200, JSON.createObjectNode()
                .put("access_token", grant.accessToken())
                .put("token_type", "bearer")
                .put("refresh_token", grant.refreshToken())
                .put("expires_in", accessTokenLifetime.toSeconds())
                .put("scope", grant.scope()));
    }

    private boolean basicAuthorized(Request request) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        return expected.equals(request.header("Authorization"));
    }

    private AccessToken authenticate(Request request) {
        if (request.query.contains("access_token=")) {
            return null; // tokens in URLs are refused
        }
        String authorization = request.header("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        synchronized (lock) {
            AccessToken token = accessTokens.get(authorization.substring("Bearer ".length()));
            return token == null || token.expiresAtMillis <= System.currentTimeMillis() ? null : token;
        }
    }

    private String resolveUser(AccessToken caller, String userId) {
        if (userId.equals("me")) {
            return caller.userId;
        }
        synchronized (lock) {
            if (users.containsKey(userId)) {
                return userId;
            }
            return users.entrySet().stream().filter(user -> user.getValue().equalsIgnoreCase(userId)).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
        }
    }

    // ---- meetings -----------------------------------------------------------------------------------------------

    private Answer createMeeting(Request request, String userId) {
        ObjectNode body = jsonBody(request);
        Answer refused = refusal(body);
        if (refused != null) {
            return refused;
        }
        synchronized (lock) {
            if (!countCreateOrUpdate(userId)) {
                return dailyLimit();
            }
            Long pinned = sampleMeetingId;
            long id = pinned != null && !meetings.containsKey(pinned) ? pinned : meetingSequence.incrementAndGet();
            ObjectNode meeting = body.deepCopy();
            meeting.put("uuid", token(16) + "==");
            meeting.put("id", id);
            meeting.put("host_id", userId);
            meeting.put("host_email", users.get(userId));
            meeting.put("type", body.path("type").asInt(2));
            meeting.put("status", "waiting");
            meeting.put("created_at", Instant.now().plus(clockOffset).truncatedTo(ChronoUnit.SECONDS).toString());
            meeting.put("start_time", startTimeInUtc(body).orElse(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
            meeting.put("duration", body.path("duration").asInt(60));
            meeting.put("timezone", body.path("timezone").asText("UTC"));
            String password = body.path("password").asText(String.format("%06d", RANDOM.nextInt(1_000_000)));
            meeting.put("password", password);
            meeting.put("start_url", "https://zoom.example/s/" + id + "?zak=" + token(20));
            meeting.put("join_url", "https://zoom.example/j/" + id + "?pwd=" + token(12));
            ObjectNode settings = JSON.createObjectNode()
                    .put("host_video", false).put("participant_video", false).put("join_before_host", false)
                    .put("mute_upon_entry", false).put("approval_type", 2).put("audio", "both").put("auto_recording", "none")
                    .put("waiting_room", false);
            if (body.path("settings").isObject()) {
                settings.setAll((ObjectNode) body.get("settings"));
            }
            meeting.set("settings", settings);
            meeting.put("pre_schedule", body.path("pre_schedule").asBoolean(false));
            if (meeting.path("type").asInt() == 8 && body.path("recurrence").isObject()) {
                meeting.set("occurrences", FakeRecurrence.occurrences(JSON, body.get("recurrence"),
                        Instant.parse(meeting.get("start_time").asText()), meeting.get("duration").asInt(),
                        ZoneId.of(meeting.get("timezone").asText())));
            }
            meetings.put(id, meeting);
            return json(201, meeting);
        }
    }

    /**
     * {@code GET /meetings/{id}}: the meeting with the occurrences Zoom still has that have not begun (all of them with
     * {@code show_previous_occurrences=true}); with {@code occurrence_id}, that occurrence: the meeting as it shows it.
     */
    private Answer getMeeting(Request request, Long id, String rawId) {
        Map<String, String> query = parseForm(request.query);
        Answer refused = meetingQueryRefusal(query, Set.of("occurrence_id", "show_previous_occurrences"));
        if (refused != null) {
            return refused;
        }
        boolean previous = Boolean.parseBoolean(query.get("show_previous_occurrences"));
        synchronized (lock) {
            ObjectNode meeting = id == null ? null : meetings.get(id);
            if (meeting == null) {
                return meetingNotFound(rawId);
            }
            ObjectNode shown = meeting.deepCopy();
            String occurrenceId = query.get("occurrence_id");
            if (occurrenceId != null) {
                ObjectNode occurrence = FakeRecurrence.available(meeting, occurrenceId);
                if (occurrence == null) {
                    return occurrenceNotFound(occurrenceId);
                }
                occurrence.properties().forEach(field -> {
                    if (!field.getKey().equals("occurrence_id") && !field.getKey().equals("status")) {
                        shown.set(field.getKey(), field.getValue());
                    }
                });
                shown.putArray("occurrences").add(occurrence.deepCopy());
            } else if (meeting.has("occurrences")) {
                ArrayNode listed = shown.putArray("occurrences");
                for (JsonNode occurrence : meeting.get("occurrences")) {
                    boolean begun = !Instant.parse(occurrence.get("start_time").asText()).isAfter(Instant.now());
                    if ("available".equals(occurrence.path("status").asText()) && (previous || !begun)) {
                        listed.add(occurrence.deepCopy());
                    }
                }
            }
            return json(200, shown);
        }
    }

    /**
     * {@code PATCH /meetings/{id}}; with {@code occurrence_id}, only that occurrence changes (its start in the body's time
     * zone, else the meeting's; its other fields as sent), and the series keeps its own.
     */
    private Answer updateMeeting(Request request, Long id, String rawId, AccessToken caller) {
        Map<String, String> query = parseForm(request.query);
        Answer refusedQuery = meetingQueryRefusal(query, Set.of("occurrence_id"));
        if (refusedQuery != null) {
            return refusedQuery;
        }
        ObjectNode body = jsonBody(request);
        Answer refused = refusal(body);
        if (refused != null) {
            return refused;
        }
        String occurrenceId = query.get("occurrence_id");
        if (occurrenceId != null && (body.has("type") || body.has("recurrence"))) {
            return error(400, 300, "Invalid field: an occurrence has no " + (body.has("type") ? "type" : "recurrence") + " of its own.");
        }
        synchronized (lock) {
            ObjectNode meeting = id == null ? null : meetings.get(id);
            if (meeting == null) {
                return meetingNotFound(rawId);
            }
            ObjectNode occurrence = occurrenceId == null ? null : FakeRecurrence.available(meeting, occurrenceId);
            if (occurrenceId != null && occurrence == null) {
                return occurrenceNotFound(occurrenceId);
            }
            if (!countCreateOrUpdate(caller.userId)) {
                return dailyLimit();
            }
            ObjectNode target = occurrence != null ? occurrence : meeting;
            ObjectNode settings = (ObjectNode) meeting.get("settings");
            body.properties().forEach(field -> {
                if (field.getKey().equals("settings") && field.getValue().isObject() && occurrence == null) {
                    settings.setAll((ObjectNode) field.getValue());
                } else if (!field.getKey().equals("start_time")) {
                    target.set(field.getKey(), field.getValue());
                }
            });
            if (body.has("start_time")) {
                ObjectNode zoned = body.deepCopy();
                if (!zoned.has("timezone")) {
                    zoned.set("timezone", meeting.get("timezone"));
                }
                startTimeInUtc(zoned).ifPresent(start -> target.put("start_time", start));
            }
            return new Answer(204, Map.of(), "");
        }
    }

    /** {@code DELETE /meetings/{id}}; with {@code occurrence_id}, that occurrence only: the series stays. */
    private Answer deleteMeeting(Request request, Long id, String rawId) {
        Map<String, String> query = parseForm(request.query);
        Answer refused = meetingQueryRefusal(query, Set.of("occurrence_id", "schedule_for_reminder", "cancel_meeting_reminder"));
        if (refused != null) {
            return refused;
        }
        String occurrenceId = query.get("occurrence_id");
        synchronized (lock) {
            ObjectNode meeting = id == null ? null : meetings.get(id);
            if (meeting == null) {
                return meetingNotFound(rawId);
            }
            if (occurrenceId == null) {
                meetings.remove(id);
                return new Answer(204, Map.of(), "");
            }
            ObjectNode occurrence = FakeRecurrence.available(meeting, occurrenceId);
            if (occurrence == null) {
                return occurrenceNotFound(occurrenceId);
            }
            occurrence.put("status", "deleted");
            return new Answer(204, Map.of(), "");
        }
    }

    /** Zoom's refusal of a query it does not take on a meeting route (code 300), or null. */
    private static Answer meetingQueryRefusal(Map<String, String> query, Set<String> known) {
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            if (!known.contains(parameter.getKey())) {
                return error(400, 300, "Invalid parameter: " + parameter.getKey() + ".");
            }
        }
        String occurrenceId = query.get("occurrence_id");
        if (occurrenceId != null && !occurrenceId.matches("[0-9]{1,19}")) {
            return error(400, 300, "Invalid field: occurrence_id.");
        }
        String previous = query.get("show_previous_occurrences");
        if (previous != null && !previous.equals("true") && !previous.equals("false")) {
            return error(400, 300, "Invalid field: show_previous_occurrences.");
        }
        return null;
    }

    private Answer listMeetings(Request request, String userId) {
        Map<String, String> query = parseForm(request.query);
        int pageSize;
        try {
            pageSize = Math.min(300, Math.max(1, Integer.parseInt(query.getOrDefault("page_size", "30"))));
        } catch (NumberFormatException e) {
            return error(400, 300, "Invalid field: page_size.");
        }
        int offset = 0;
        String pageToken = query.get("next_page_token");
        if (pageToken != null && !pageToken.isEmpty()) {
            if (!pageTokens.contains(pageToken)) {
                return error(400, 300, "Invalid next_page_token.");
            }
            offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8).split(":")[1]);
        }
        synchronized (lock) {
            List<ObjectNode> hosted = meetings.values().stream().filter(m -> userId.equals(m.path("host_id").asText())).toList();
            ArrayNode page = JSON.createArrayNode();
            for (ObjectNode meeting : hosted.subList(Math.min(offset, hosted.size()), Math.min(offset + pageSize, hosted.size()))) {
                ObjectNode summary = page.addObject();
                for (String field : List.of("uuid", "id", "host_id", "topic", "type", "start_time", "duration", "timezone", "agenda",
                        "created_at", "join_url")) {
                    if (meeting.has(field)) {
                        summary.set(field, meeting.get(field));
                    }
                }
            }
            String next = "";
            if (offset + pageSize < hosted.size()) {
                next = Base64.getUrlEncoder().withoutPadding()
                        .encodeToString((token(6) + ":" + (offset + pageSize)).getBytes(StandardCharsets.UTF_8));
                pageTokens.add(next);
            }
            ObjectNode answer = JSON.createObjectNode()
                    .put("page_size", pageSize)
                    .put("total_records", hosted.size())
                    .put("next_page_token", next);
            answer.set("meetings", page);
            return json(200, answer);
        }
    }

    /** Zoom's answer to a meeting body it refuses (code 300), or null. */
    private static Answer refusal(ObjectNode body) {
        if (body == null) {
            return error(400, 300, "Invalid request body: a JSON object with Content-Type application/json is required.");
        }
        String invalid = invalidField(body);
        return invalid == null ? null : error(400, 300, invalid);
    }

    /** Zoom's own checks of meeting fields, or null. */
    private static String invalidField(ObjectNode body) {
        JsonNode type = body.get("type");
        if (type != null && !(type.isInt() && TYPES.contains(type.intValue()))) {
            return "Invalid field: type.";
        }
        if (body.path("topic").asText("").length() > 200) {
            return "Invalid field: topic.";
        }
        if (body.path("agenda").asText("").length() > 2000) {
            return "Invalid field: agenda.";
        }
        JsonNode password = body.get("password");
        if (password != null && !(password.isTextual() && PASSWORD.matcher(password.textValue()).matches())) {
            return "Invalid field: password.";
        }
        if (body.has("start_time") && startTimeInUtc(body).isEmpty()) {
            return "Invalid field: start_time.";
        }
        return null;
    }

    /** A start time without {@code Z} is read in the body's {@code timezone}; Zoom answers it in UTC. */
    private static java.util.Optional<String> startTimeInUtc(ObjectNode body) {
        JsonNode start = body.get("start_time");
        if (start == null || !start.isTextual()) {
            return java.util.Optional.empty();
        }
        String text = start.textValue();
        try {
            if (text.endsWith("Z")) {
                return java.util.Optional.of(Instant.parse(text).toString());
            }
            ZoneId zone = ZoneId.of(body.path("timezone").asText("UTC"));
            return java.util.Optional.of(LocalDateTime.parse(text).atZone(zone).toInstant().toString());
        } catch (java.time.DateTimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** Counts one create or update for the user today (UTC); false if the daily limit is spent. The caller holds the lock. */
    private boolean countCreateOrUpdate(String userId) {
        String key = userId + "/" + LocalDate.now(ZoneOffset.UTC);
        int used = createsAndUpdatesPerDay.getOrDefault(key, 0);
        if (used >= dailyCreateUpdateLimit) {
            return false;
        }
        createsAndUpdatesPerDay.put(key, used + 1);
        return true;
    }

    private Answer dailyLimit() {
        return new Answer(429, Map.of("Content-Type", "application/json;charset=UTF-8", "X-RateLimit-Type", "Daily-limit"),
                "{\"code\":429,\"message\":\"You have exceeded the daily rate limit (" + dailyCreateUpdateLimit
                        + ") of Meeting Create/Update API requests permitted for this particular user. You may resume these "
                        + "requests at GMT 00:00:00.\"}");
    }

    private static Long meetingId(String raw) {
        try {
            return Long.valueOf(raw);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static ObjectNode jsonBody(Request request) {
        if (!request.contentType().startsWith("application/json")) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(request.body);
            return node != null && node.isObject() ? (ObjectNode) node : null;
        } catch (IOException e) {
            return null;
        }
    }

    // ---- answers ------------------------------------------------------------------------------------------------

    private record Answer(int status, Map<String, String> headers, String body) {
    }

    private static Answer json(int status, JsonNode body) {
        return new Answer(status, Map.of("Content-Type", "application/json;charset=UTF-8"), body.toString());
    }

    private static Answer error(int status, int code, String message) {
        return json(status, JSON.createObjectNode().put("code", code).put("message", message));
    }

    private static Answer oauthError(int status, String error, String reason) {
        return json(status, JSON.createObjectNode().put("reason", reason).put("error", error));
    }

    private static Answer meetingNotFound(String rawId) {
        return error(404, 3001, "Meeting does not exist: " + rawId + ".");
    }

    /** An occurrence that the meeting never had, or that was deleted: answered as a meeting Zoom does not have. */
    private static Answer occurrenceNotFound(String occurrenceId) {
        return error(404, 3001, "Meeting occurrence does not exist: " + occurrenceId + ".");
    }

    private static Answer notAllowed() {
        return error(405, 405, "Method not allowed");
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        answer.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private Fault takeFault(Request request) {
        for (Fault fault : faults) {
            if (fault.method.equals(request.method) && fault.path.matcher(request.path).matches()) {
                int left = fault.remaining.decrementAndGet();
                if (left <= 0) {
                    faults.remove(fault);
                }
                if (left >= 0) {
                    return fault;
                }
            }
        }
        return null;
    }

    private Chain chain(String chainId) {
        Chain chain = chains.get(chainId);
        if (chain == null) {
            throw new IllegalArgumentException("No chain " + chainId);
        }
        return chain;
    }

    /** Looks like Zoom's tokens (a JWT of a few hundred characters), and is unguessable. */
    private String jwtLike() {
        String token = "eyJzdiI6IjAwMDAwMSIsImFsZyI6IkhTNTEyIiwidiI6IjIuMCJ9." + token(150) + "." + token(64);
        issuedSecrets.add(token);
        recordSecret(token);
        return token;
    }

    /**
     * Every secret the fake hands out is also appended to {@code target/test-logs/issued-secrets-<pid>.txt}, so that
     * SecretsInLogsIT can search the logs of the whole test suite for them.
     */
    private static synchronized void recordSecret(String secret) {
        try {
            Path file = Files.createDirectories(Path.of("target", "test-logs"))
                    .resolve("issued-secrets-" + ProcessHandle.current().pid() + ".txt");
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("The issued secrets could not be recorded", e);
        }
    }

    private static String token(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static Map<String, String> parseForm(String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            values.put(name, equals < 0 ? "" : decode(pair.substring(equals + 1)));
        }
        return values;
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
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

    private static final class Chain {
        final String id;
        final String userId;
        String accessToken;
        String refreshToken;
        boolean revoked;
        int refreshes;

        Chain(String id, String userId) {
            this.id = id;
            this.userId = userId;
        }
    }

    /** An access token: of a user's chain, or of a Server-to-Server account (chainId null). */
    private record AccessToken(String chainId, String accountId, String userId, long expiresAtMillis) {
    }

    private record AuthorizationCode(String redirectUri, String userId, long expiresAt) {
    }

    private enum FaultKind {
        ANSWER, DROP, DELAY, LOSE_ANSWER, ANSWER_LATE
    }

    private record Fault(String method, Pattern path, AtomicInteger remaining, FaultKind kind, int status,
            Map<String, String> headers, String body, Duration delay) {
    }

    private static final class Request {
        final String method;
        final String path;
        final String query;
        final byte[] body;
        final HttpExchange exchange;

        Request(HttpExchange exchange, byte[] body) {
            this.exchange = exchange;
            this.method = exchange.getRequestMethod();
            this.path = exchange.getRequestURI().getRawPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            this.query = rawQuery == null ? "" : rawQuery;
            this.body = body;
        }

        String header(String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }

        String contentType() {
            String type = header("Content-Type");
            return type == null ? "" : type.toLowerCase(Locale.ROOT);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        Map<String, String> headers() {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            return headers;
        }
    }
}
