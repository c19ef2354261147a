package dev.zoomscheduler.tokens;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.zoom.ZoomFailures;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Zoom's token and revocation endpoints, and how their answers are classified: new tokens, a grant refused for good (a
 * dead refresh token, a used or forged code), or a problem that says nothing about the grant (Zoom down, our client
 * credentials refused), which must never cost a connection.
 */
@ApplicationScoped
public class ZoomTokenEndpoint {

    private static final String WHAT = "Zoom's token endpoint";

    private final ZoomOAuthClient client;
    private final ObjectMapper json;
    private final Clock clock;
    private final Optional<String> clientId;
    private final ClientSecret clientSecret;

    public ZoomTokenEndpoint(@RestClient ZoomOAuthClient client, ObjectMapper json, Clock clock,
            @ConfigProperty(name = "zoom.client-id") Optional<String> clientId, ClientSecret clientSecret) {
        this.client = client;
        this.json = json;
        this.clock = clock;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    /** The app's client id, which the authorise page needs; a problem if it is not configured. */
    public String clientId() {
        return clientId.orElseThrow(() -> new ProblemException(ProblemType.ZOOM_NOT_CONFIGURED,
                "ZOOM_CLIENT_ID must be set to connect Zoom accounts and to obtain access tokens."));
    }

    /** {@code grant_type=refresh_token}: the new pair, or {@link RefreshTokenRejectedException} if the token is dead. */
    public TokenGrant refresh(String refreshToken) throws RefreshTokenRejectedException {
        Instant issuedAt = clock.instant();
        Answer answer = post(WHAT, authorization -> client.refresh(authorization, "refresh_token", refreshToken));
        if (answer.status() == 200) {
            return grant(answer, issuedAt, true);
        }
        if (answer.invalidGrant()) {
            throw new RefreshTokenRejectedException();
        }
        throw answer.failure(WHAT, "the refresh");
    }

    /** Server-to-Server OAuth ({@code grant_type=account_credentials}): an access token, never a refresh token. */
    public TokenGrant accountToken(String accountId) {
        Instant issuedAt = clock.instant();
        Answer answer = post(WHAT, authorization -> client.accountCredentials(authorization, "account_credentials", accountId));
        if (answer.status() == 200) {
            return grant(answer, issuedAt, false);
        }
        if (answer.refusedGrant()) {
            throw new ProblemException(ProblemType.ZOOM_NOT_CONFIGURED, "Zoom refused the account_credentials grant for account '"
                    + accountId + "'" + answer.reasonInParentheses()
                    + ": check the account id and that ZOOM_CLIENT_ID belongs to a Server-to-Server OAuth app of that account.");
        }
        throw answer.failure(WHAT, "the account_credentials grant");
    }

    /** The authorisation-code grant of an app install; the code is single-use and bound to {@code redirectUri}. */
    public TokenGrant exchangeCode(String code, String redirectUri) {
        Instant issuedAt = clock.instant();
        Answer answer = post(WHAT, authorization -> client.authorizationCode(authorization, "authorization_code", code, redirectUri));
        if (answer.status() == 200) {
            return grant(answer, issuedAt, true);
        }
        if (answer.refusedGrant()) {
            throw new ProblemException(ProblemType.AUTHORIZATION_CODE_REFUSED, "Zoom refused the authorisation code"
                    + answer.reasonInParentheses() + ": it may have been used already or have expired. Start the installation again.");
        }
        throw answer.failure(WHAT, "the authorisation code");
    }

    /**
     * Revokes a token (and with it the authorisation it belongs to). True if Zoom revoked it, false if Zoom no longer knew
     * it (already revoked or rotated away), which leaves nothing to revoke.
     */
    public boolean revoke(String token) {
        Answer answer = post("Zoom's revocation endpoint", authorization -> client.revoke(authorization, token));
        if (answer.status() == 200) {
            return true;
        }
        if (answer.refusedGrant()) {
            return false;
        }
        throw answer.failure("Zoom's revocation endpoint", "the revocation");
    }

    private Answer post(String what, Function<String, Response> call) {
        String authorization = basicAuthorization();
        Response response;
        try {
            response = call.apply(authorization);
        } catch (ProcessingException e) {
            throw ZoomFailures.unreachable(what, e);
        }
        try (response) {
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            int status = response.getStatus();
            return new Answer(status, body, response.getHeaderString(HttpHeaders.RETRY_AFTER),
                    status == 200 ? null : parse(body, OAuthError.class));
        }
    }

    private TokenGrant grant(Answer answer, Instant issuedAt, boolean refreshTokenExpected) {
        TokenResponse tokens = parse(answer.body(), TokenResponse.class);
        if (tokens == null || blank(tokens.accessToken()) || (refreshTokenExpected && blank(tokens.refreshToken()))
                || tokens.expiresIn() <= 0) {
            throw new ProblemException(ProblemType.ZOOM_UNAVAILABLE, "Zoom's token endpoint answered without the expected tokens.");
        }
        return new TokenGrant(tokens.accessToken(), refreshTokenExpected ? tokens.refreshToken() : null,
                issuedAt.getEpochSecond() + tokens.expiresIn(), tokens.scope(), issuedAt);
    }

    private String basicAuthorization() {
        String pair = clientId() + ":" + clientSecret.value();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private <T> T parse(String body, Class<T> type) {
        try {
            return body.isEmpty() ? null : json.readValue(body, type);
        } catch (JsonProcessingException e) {
            return null; // an unreadable answer is classified by its status alone; the body may hold tokens, so it is not logged
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** One answer of an OAuth endpoint; {@code error} is its parsed error body, if any. */
    private record Answer(int status, String body, String retryAfter, OAuthError error) {

        /** The body may hold tokens. */
        @Override
        public String toString() {
            return "Answer[status=" + status + ", error=" + error + "]";
        }

        boolean clientRefused() {
            return status == 401 || (error != null && "invalid_client".equals(error.error()));
        }

        boolean invalidGrant() {
            return status >= 400 && status < 500 && status != 429 && error != null && "invalid_grant".equals(error.error());
        }

        /** A 4xx about the grant itself (not our client credentials, not a rate limit). */
        boolean refusedGrant() {
            return status >= 400 && status < 500 && status != 429 && !clientRefused();
        }

        String reasonInParentheses() {
            return error == null || error.error() == null ? "" : " (" + error.error() + ")";
        }

        ProblemException failure(String what, String attempted) {
            if (clientRefused()) {
                return new ProblemException(ProblemType.ZOOM_NOT_CONFIGURED,
                        "Zoom refused the app's client credentials (ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET).");
            }
            if (status == 429 || status >= 500) {
                return ZoomFailures.fromStatus(what, status, retryAfter, null, error == null ? null : error.error());
            }
            return new ProblemException(ProblemType.ZOOM_UNAVAILABLE, what + " refused " + attempted + " with status " + status
                    + reasonInParentheses() + ".");
        }
    }

    @RegisterForReflection
    record TokenResponse(@JsonProperty("access_token") String accessToken,
            @JsonProperty("refresh_token") String refreshToken,
            @JsonProperty("expires_in") long expiresIn,
            @JsonProperty("scope") String scope) {

        @Override
        public String toString() {
            return "TokenResponse[expiresIn=" + expiresIn + ", scope=" + scope + "]";
        }
    }

    @RegisterForReflection
    record OAuthError(@JsonProperty("error") String error, @JsonProperty("reason") String reason) {
    }
}
