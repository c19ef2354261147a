package dev.zoomscheduler.install;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.connections.ConnectionKind;
import dev.zoomscheduler.connections.ConnectionStatus;
import dev.zoomscheduler.connections.ZoomIdentity;
import dev.zoomscheduler.observability.LogContext;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.tokens.ConnectionStore;
import dev.zoomscheduler.tokens.DefaultAccountConnection;
import dev.zoomscheduler.tokens.RefreshBudget;
import dev.zoomscheduler.tokens.StoredToken;
import dev.zoomscheduler.tokens.TokenGrant;
import dev.zoomscheduler.tokens.TokenRotation;
import dev.zoomscheduler.tokens.TokenStore;
import dev.zoomscheduler.tokens.TokenStore.WriteOutcome;
import dev.zoomscheduler.tokens.ZoomTokenEndpoint;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.TimeoutException;

/**
 * The app install (authorisation-code grant). {@link #begin} (a signed caller's request) makes a state of 256 random bits,
 * stores only its hash with the connection and redirect URI it is bound to, and gives Zoom's authorise URL. {@link #complete}
 * first makes sure the invocation can finish (the code exchange, who the user is, the store and the revocation of what it
 * replaces), then consumes the state (once, before it expires), exchanges the code with the same redirect URI, and stores
 * the new tokens: a new item, or the existing one replaced with a write conditional on the version read, so that a refresh
 * of the old chain racing it cannot overwrite the new authorisation (the refresh's write is conditional on the old refresh
 * token). A live chain it replaced is then revoked at Zoom, unless the same Zoom user authorised again (Zoom keeps only a
 * user's latest authorisation, and revoking would risk the new one).
 */
@ApplicationScoped
public class Installation {

    private static final Logger LOG = Logger.getLogger(Installation.class);
    private static final Pattern STATE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final int STORE_ATTEMPTS = 5;
    /** The longest wait for Zoom's GET /users/me: who authorised is worth knowing, not worth losing the install for. */
    private static final Duration IDENTIFY_TIMEOUT = Duration.ofSeconds(3);

    private final SecureRandom random = new SecureRandom();
    private final PendingInstallStore pending;
    private final ConnectionStore connections;
    private final TokenStore tokens;
    private final DefaultAccountConnection defaultAccount;
    private final ZoomTokenEndpoint oauth;
    private final ZoomUserClient users;
    private final TokenRotation rotation;
    private final RefreshBudget budget;
    private final ObjectMapper json;
    private final Clock clock;
    private final String oauthUrl;
    private final Duration stateLifetime;

    public Installation(PendingInstallStore pending, ConnectionStore connections, TokenStore tokens,
            DefaultAccountConnection defaultAccount, ZoomTokenEndpoint oauth, @RestClient ZoomUserClient users, TokenRotation rotation,
            RefreshBudget budget, ObjectMapper json, Clock clock, @ConfigProperty(name = "zoom.oauth-url") String oauthUrl,
            @ConfigProperty(name = "install.state-lifetime") Duration stateLifetime) {
        this.pending = pending;
        this.connections = connections;
        this.tokens = tokens;
        this.defaultAccount = defaultAccount;
        this.oauth = oauth;
        this.users = users;
        this.rotation = rotation;
        this.budget = budget;
        this.json = json;
        this.clock = clock;
        this.oauthUrl = oauthUrl.endsWith("/") ? oauthUrl.substring(0, oauthUrl.length() - 1) : oauthUrl;
        this.stateLifetime = stateLifetime;
    }

    /** Zoom's authorise page for an install into {@code connectionId}, with a new state bound to it, and when it expires. */
    public InstallLink begin(String connectionId, String redirectUri) {
        if (defaultAccount.governs(connectionId)
                || connections.describe(connectionId).map(found -> found.kind() == ConnectionKind.ACCOUNT).orElse(false)) {
            throw new ProblemException(ProblemType.CONNECTION_IS_SERVER_TO_SERVER, "Connection '" + connectionId
                    + "' is a Server-to-Server OAuth connection; a user cannot install the app into it.");
        }
        String clientId = oauth.clientId();
        byte[] bits = new byte[32];
        random.nextBytes(bits);
        String state = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        Instant expiresAt = clock.instant().plus(stateLifetime).truncatedTo(ChronoUnit.SECONDS); // the store keeps seconds
        pending.save(new PendingInstall(hash(state), connectionId, redirectUri, expiresAt));
        return new InstallLink(URI.create(oauthUrl + "/oauth/authorize?response_type=code&client_id=" + encode(clientId)
                + "&redirect_uri=" + encode(redirectUri) + "&state=" + state), expiresAt);
    }

    /** Zoom's authorise URL with its single-use state, and the instant after which the state is refused; the body of the answer. */
    @RegisterForReflection
    @Schema(description = "The install link, for a backend to hand to its user's browser (the same URL as Location).")
    public record InstallLink(
            @JsonProperty("install_url") @Schema(required = true, description = "Zoom's authorise page, with a single-use state")
            URI url,
            @JsonProperty("expires_at") @Schema(required = true, description = "after it the state is refused") Instant expiresAt) {

        /** The URL carries the state, which connects an account until it is used. */
        @Override
        public String toString() {
            return "InstallLink[expiresAt=" + expiresAt + "]";
        }
    }

    /**
     * Completes an install from Zoom's redirect. The state is consumed first, whatever else the redirect says, so that
     * no state is ever used twice; nothing is stored unless Zoom issued tokens.
     *
     * @param error Zoom's {@code error} parameter ({@code access_denied} when the user declined), or null
     */
    public String complete(String state, String code, String error, Instant deadline) {
        if (state == null || !STATE.matcher(state).matches()) {
            throw new ProblemException(ProblemType.INSTALL_STATE_INVALID,
                    "The link carries no valid state. Start the installation again from GET /oauth/install.");
        }
        if (!budget.fits(clock.instant(), deadline, completion())) {
            // before the state is consumed: the same link works again a moment later
            throw new ProblemException(ProblemType.INVOCATION_TIME_SHORT, 503, "Too little of this invocation's time is left to"
                    + " connect the Zoom account safely; open the same link again.", null, null, Duration.ofSeconds(1));
        }
        // named, so that the SDK's repeat of a consumption whose answer was lost finds it its own
        PendingInstallStore.Consumption consumed = pending.consume(hash(state), clock.instant(), UUID.randomUUID().toString());
        PendingInstall install = consumed.install();
        if (install == null) {
            throw new ProblemException(ProblemType.INSTALL_STATE_INVALID, (consumed.expired()
                    ? "The installation link has expired."
                    : "The installation link is unknown or was already used.") + " Start the installation again from GET /oauth/install.");
        }
        LogContext.connection(install.connectionId()); // Zoom's redirect names no connection: the state does
        if (error != null) {
            throw "access_denied".equals(error)
                    ? new ProblemException(ProblemType.CONSENT_DENIED, "The app was not authorised for connection '"
                            + install.connectionId() + "': consent was declined at Zoom. Nothing was changed.")
                    : new ProblemException(ProblemType.AUTHORIZATION_CODE_REFUSED, "Zoom did not authorise the app ("
                            + error.replaceAll("[^A-Za-z0-9_.-]", "") + "). Nothing was changed.");
        }
        if (code == null || code.isBlank() || code.length() > 2048) {
            throw ProblemException.invalidRequest("code", "Zoom's redirect carries no authorisation code.");
        }
        TokenGrant grant = oauth.exchangeCode(code, install.redirectUri());
        store(install.connectionId(), grant, identify(grant), deadline);
        return install.connectionId();
    }

    /**
     * The longest a completion can take: taking the state, the code exchange, GET /users/me, a read and the store's attempts.
     * Revoking a chain it replaced comes after, only if time is left (see {@link #revokeReplaced}).
     */
    private Duration completion() {
        return budget.storeCall().multipliedBy(2).plus(budget.tokenCall()).plus(IDENTIFY_TIMEOUT).plus(budget.store());
    }

    /**
     * Stores the new chain over whatever the connection holds, with writes conditional on the version read. Every attempt
     * carries this install's authorisation id: a repeat that meets an earlier attempt's result (its answer was lost, and the
     * SDK or this loop sent it again) finds its own chain there, refreshed since or not, and never takes it for one to replace.
     */
    private void store(String connectionId, TokenGrant grant, ZoomIdentity identity, Instant deadline) {
        String authorizationId = UUID.randomUUID().toString();
        StoredToken replaced = tokens.read(connectionId).orElse(null);
        for (int attempt = 1;; attempt++) {
            WriteOutcome outcome;
            try {
                outcome = connections.storeAuthorized(connectionId, replaced == null ? 0 : replaced.version(), grant, identity,
                        authorizationId);
            } catch (RuntimeException failed) {
                // it may have taken effect: the next attempt, with the same id, finds out
                if (attempt == STORE_ATTEMPTS || !budget.fits(clock.instant(), deadline, budget.storeCall().plus(budget.tokenCall()))) {
                    throw failed;
                }
                continue;
            }
            StoredToken found = outcome.item();
            if (outcome.applied() || found != null && found.fromInstall(authorizationId)) {
                rotation.forget(connectionId);
                LOG.infof("Connection %s authorised by Zoom user %s (version %d)%s", connectionId, identity.userId(),
                        found.version(), replaced == null ? "" : ", replacing Zoom user " + replaced.zoomUserId());
                revokeReplaced(connectionId, replaced, identity, deadline);
                return;
            }
            if (attempt == STORE_ATTEMPTS) {
                throw new ProblemException(ProblemType.TOKEN_REFRESH_BUSY, "Connection '" + connectionId
                        + "' kept changing while the new authorisation was stored; start the installation again.");
            }
            replaced = found; // a refresh of the old chain moved the version on (or the item was deleted): replace what is there now
        }
    }

    /** The chain an install replaced is revoked, so that no live grant is left that no connection holds. */
    private void revokeReplaced(String connectionId, StoredToken replaced, ZoomIdentity identity, Instant deadline) {
        if (replaced == null || replaced.kind() == ConnectionKind.ACCOUNT || replaced.status() != ConnectionStatus.ACTIVE
                || replaced.refreshToken() == null || replaced.refreshToken().isEmpty()) {
            return; // no live chain
        }
        if (identity.userId() != null && identity.userId().equals(replaced.zoomUserId())) {
            return; // the same user authorised again: Zoom keeps only the latest authorisation
        }
        if (!budget.fits(clock.instant(), deadline, budget.tokenCall())) {
            LOG.warnf("Connection %s: too little time was left to revoke the authorisation it replaced", connectionId);
            return;
        }
        try {
            boolean revoked = oauth.revoke(replaced.refreshToken());
            LOG.infof("Connection %s: the authorisation of Zoom user %s it replaced was %s", connectionId, replaced.zoomUserId(),
                    revoked ? "revoked at Zoom" : "already unknown to Zoom");
        } catch (RuntimeException e) {
            LOG.warnf("Connection %s: could not revoke the authorisation it replaced (%s)", connectionId, e.getClass().getSimpleName());
        }
    }

    /** Best effort: without {@code user:read} scope Zoom refuses, and the connection is stored without the user's id. */
    private ZoomIdentity identify(TokenGrant grant) {
        try (Response response = users.me("Bearer " + grant.accessToken()).await().atMost(IDENTIFY_TIMEOUT)) {
            if (response.getStatus() != 200) {
                LOG.warnf("Zoom answered %d to GET /users/me; the connection is stored without its Zoom user id", response.getStatus());
                return ZoomIdentity.UNKNOWN;
            }
            JsonNode me = json.readTree(response.readEntity(String.class));
            return new ZoomIdentity(text(me, "id"), text(me, "account_id"));
        } catch (ProcessingException | TimeoutException | IOException e) {
            LOG.warnf("GET /users/me failed (%s); the connection is stored without its Zoom user id", e.getClass().getSimpleName());
            return ZoomIdentity.UNKNOWN;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isValueNode() ? null : value.asText();
    }

    static String hash(String state) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
