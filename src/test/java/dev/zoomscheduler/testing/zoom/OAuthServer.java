package dev.zoomscheduler.testing.zoom;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Zoom's OAuth server as it really behaves: refresh tokens rotate and the old one dies at once (no grace period), reuse
 * answers 400 {@code invalid_grant}, access tokens expire (the API then answers 401 code 124), client credentials only in
 * the Basic Authorization header, parameters only in the form body. Authorisation codes are single-use, bound to their
 * redirect URI and expire after 10 minutes; Server-to-Server accounts get access tokens without a refresh token; a revoked
 * token ends its whole chain.
 */
final class OAuthServer {

    static final String SCOPE = "meeting:read meeting:write user:read";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An access token: of a user's chain, or of a Server-to-Server account (chainId null). */
    record AccessToken(String chainId, String accountId, String userId, long expiresAtMillis) {
    }

    private final Users users;
    private final IssuedSecrets secrets;

    /** Guards the chains and tokens: one lock keeps every rotation atomic. */
    private final Object lock = new Object();
    private final Map<String, Chain> chains = new HashMap<>();
    private final Map<String, String> liveRefreshTokens = new HashMap<>();
    private final Map<String, AccessToken> accessTokens = new HashMap<>();
    private final Map<String, AuthorizationCode> codes = new HashMap<>();
    private final Set<String> accounts = ConcurrentHashMap.newKeySet();

    private final AtomicInteger refreshes = new AtomicInteger();
    private final AtomicInteger invalidGrants = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger accountTokens = new AtomicInteger();
    private final AtomicInteger revocations = new AtomicInteger();
    private final AtomicInteger userSequence = new AtomicInteger();

    private volatile Duration accessTokenLifetime = Duration.ofSeconds(3599);
    private volatile boolean oldAccessTokenDiesOnRefresh;
    private volatile boolean denyNextConsent;

    OAuthServer(Users users, IssuedSecrets secrets) {
        this.users = users;
        this.secrets = secrets;
    }

    // ---- what a test sets up and reads ---------------------------------------------------------------------------

    ZoomFake.Grant authorize() {
        return authorize(newUserId());
    }

    ZoomFake.Grant authorize(String userId) {
        synchronized (lock) {
            users.addIfAbsent(userId, userId.toLowerCase(Locale.ROOT) + "@example.com");
            return rotate(newChain(userId));
        }
    }

    String currentRefreshToken(String chainId) {
        synchronized (lock) {
            return chain(chainId).refreshToken;
        }
    }

    String currentAccessToken(String chainId) {
        synchronized (lock) {
            return chain(chainId).accessToken;
        }
    }

    void revoke(String chainId) {
        synchronized (lock) {
            Chain chain = chain(chainId);
            chain.revoked = true;
            liveRefreshTokens.remove(chain.refreshToken);
            accessTokens.values().removeIf(token -> chainId.equals(token.chainId));
        }
    }

    boolean isLive(String chainId) {
        synchronized (lock) {
            Chain chain = chain(chainId);
            return !chain.revoked && liveRefreshTokens.containsKey(chain.refreshToken);
        }
    }

    void invalidateAccessTokens(String chainId) {
        synchronized (lock) {
            accessTokens.values().removeIf(token -> chainId.equals(token.chainId));
        }
    }

    void accessTokenLifetime(Duration lifetime) {
        this.accessTokenLifetime = lifetime;
    }

    void oldAccessTokenDiesOnRefresh(boolean dies) {
        this.oldAccessTokenDiesOnRefresh = dies;
    }

    void addAccount(String accountId) {
        accounts.add(accountId);
    }

    void denyNextConsent() {
        denyNextConsent = true;
    }

    int refreshCount() {
        return refreshes.get();
    }

    int refreshCount(String chainId) {
        synchronized (lock) {
            return chain(chainId).refreshes;
        }
    }

    int invalidGrantCount() {
        return invalidGrants.get();
    }

    int tokenRequestCount() {
        return tokenRequests.get();
    }

    int revocationCount() {
        return revocations.get();
    }

    int accountTokenCount() {
        return accountTokens.get();
    }

    void resetCounters() {
        refreshes.set(0);
        invalidGrants.set(0);
        tokenRequests.set(0);
        accountTokens.set(0);
    }

    // ---- the API's side: who calls ---------------------------------------------------------------------------------

    /** The live access token the request carries in its Authorization header, or null (tokens in URLs are refused). */
    AccessToken authenticate(Request request) {
        if (request.query.contains("access_token=")) {
            return null;
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

    // ---- endpoints -------------------------------------------------------------------------------------------------

    /** {@code POST /oauth/token}. */
    Answer token(Request request) {
        tokenRequests.incrementAndGet();
        if (!basicAuthorized(request)) {
            return Answer.oauthError(401, "invalid_client", "Invalid client_id or client_secret");
        }
        if (!request.query.isEmpty()) {
            return Answer.oauthError(400, "invalid_request", "Parameters must be sent in the request body");
        }
        if (!request.contentType().startsWith("application/x-www-form-urlencoded")) {
            return Answer.oauthError(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
        }
        Map<String, String> form = request.form();
        return switch (form.getOrDefault("grant_type", "")) {
            case "refresh_token" -> refresh(form.get("refresh_token"));
            case "account_credentials" -> accountToken(form.get("account_id"));
            case "authorization_code" -> exchangeCode(form.get("code"), form.get("redirect_uri"));
            default -> Answer.oauthError(400, "unsupported_grant_type", "Unsupported grant type");
        };
    }

    /** {@code GET /oauth/authorize}: the consent page, which the user always approves (unless told to decline). */
    Answer authorizePage(Request request) {
        Map<String, String> query = request.queryParameters();
        String redirectUri = query.get("redirect_uri");
        if (!ZoomFake.CLIENT_ID.equals(query.get("client_id")) || !"code".equals(query.get("response_type")) || redirectUri == null) {
            return new Answer(400, Map.of("Content-Type", "text/html"), "<p>Invalid client_id or request</p>");
        }
        String state = query.get("state") == null ? "" : "&state=" + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
        String separator = redirectUri.contains("?") ? "&" : "?";
        if (denyNextConsent) {
            denyNextConsent = false;
            return new Answer(302, Map.of("Location", redirectUri + separator + "error=access_denied" + state), "");
        }
        // an authorisation code is a credential until it is exchanged: it must not be logged either
        String code = secrets.issue(IssuedSecrets.random(24));
        synchronized (lock) {
            String userId = newUserId();
            users.add(userId, userId + "@example.com");
            codes.put(code, new AuthorizationCode(redirectUri, userId, System.currentTimeMillis() + 600_000));
        }
        return new Answer(302, Map.of("Location", redirectUri + separator + "code=" + code + state), "");
    }

    /** {@code POST /oauth/revoke}: a user's token ends its chain; a Server-to-Server access token only itself. */
    Answer revokeToken(Request request) {
        if (!basicAuthorized(request)) {
            return Answer.oauthError(401, "invalid_client", "Invalid client_id or client_secret");
        }
        String token = request.form().get("token");
        synchronized (lock) {
            String chainId = liveRefreshTokens.get(token);
            if (chainId == null && token != null && accessTokens.containsKey(token)) {
                chainId = accessTokens.get(token).chainId;
                if (chainId == null) {
                    accessTokens.remove(token);
                    revocations.incrementAndGet();
                    return Answer.json(200, JSON.createObjectNode().put("status", "success"));
                }
            }
            if (chainId == null) {
                return Answer.oauthError(400, "invalid_request", "Invalid token");
            }
            revocations.incrementAndGet();
            revoke(chainId);
        }
        return Answer.json(200, JSON.createObjectNode().put("status", "success"));
    }

    private Answer refresh(String refreshToken) {
        synchronized (lock) {
            String chainId = refreshToken == null ? null : liveRefreshTokens.get(refreshToken);
            if (chainId == null) {
                invalidGrants.incrementAndGet();
                return Answer.oauthError(400, "invalid_grant", "Invalid Token!");
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
            return Answer.oauthError(400, "invalid_request", "Invalid account_id");
        }
        synchronized (lock) {
            String adminUser = "admin-" + accountId;
            users.addIfAbsent(adminUser, adminUser + "@example.com");
            String accessToken = secrets.jwtLike();
            long expiresAt = System.currentTimeMillis() + accessTokenLifetime.toMillis();
            accessTokens.put(accessToken, new AccessToken(null, accountId, adminUser, expiresAt));
            accountTokens.incrementAndGet();
            ObjectNode answer = JSON.createObjectNode()
                    .put("access_token", accessToken)
                    .put("token_type", "bearer")
                    .put("expires_in", accessTokenLifetime.toSeconds())
                    .put("scope", SCOPE)
                    .put("api_url", "https://api.zoom.us");
            return Answer.json(200, answer);
        }
    }

    private Answer exchangeCode(String code, String redirectUri) {
        synchronized (lock) {
            AuthorizationCode issued = code == null ? null : codes.remove(code);
            if (issued == null || !issued.redirectUri.equals(redirectUri) || issued.expiresAt < System.currentTimeMillis()) {
                invalidGrants.incrementAndGet();
                return Answer.oauthError(400, "invalid_grant", "Invalid authorization code");
            }
            return tokenAnswer(rotate(newChain(issued.userId)));
        }
    }

    /** Issues a new access and refresh token for the chain; the caller holds the lock. */
    private ZoomFake.Grant rotate(Chain chain) {
        chain.refreshToken = secrets.jwtLike();
        chain.accessToken = secrets.jwtLike();
        long expiresAtMillis = System.currentTimeMillis() + accessTokenLifetime.toMillis();
        liveRefreshTokens.put(chain.refreshToken, chain.id);
        accessTokens.put(chain.accessToken, new AccessToken(chain.id, null, chain.userId, expiresAtMillis));
        return new ZoomFake.Grant(chain.id, chain.userId, chain.accessToken, chain.refreshToken, expiresAtMillis / 1000, SCOPE);
    }

    private Answer tokenAnswer(ZoomFake.Grant grant) {
        return Answer.json(200, JSON.createObjectNode()
                .put("access_token", grant.accessToken())
                .put("token_type", "bearer")
                .put("refresh_token", grant.refreshToken())
                .put("expires_in", accessTokenLifetime.toSeconds())
                .put("scope", grant.scope()));
    }

    private static boolean basicAuthorized(Request request) {
        String expected = "Basic " + Base64.getEncoder()
                .encodeToString((ZoomFake.CLIENT_ID + ":" + ZoomFake.CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        return expected.equals(request.header("Authorization"));
    }

    /** The caller holds the lock. */
    private Chain newChain(String userId) {
        Chain chain = new Chain("chain-" + IssuedSecrets.random(8), userId);
        chains.put(chain.id, chain);
        return chain;
    }

    private String newUserId() {
        return "user-" + userSequence.incrementAndGet() + "-" + IssuedSecrets.random(6);
    }

    private Chain chain(String chainId) {
        Chain chain = chains.get(chainId);
        if (chain == null) {
            throw new IllegalArgumentException("No chain " + chainId);
        }
        return chain;
    }

    /** One authorisation of the app by a user: its refresh tokens, each replacing the last. */
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

    private record AuthorizationCode(String redirectUri, String userId, long expiresAt) {
    }
}
