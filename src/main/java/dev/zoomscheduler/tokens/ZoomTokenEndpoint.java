package dev.zoomscheduler.tokens;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

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
 * Exchanges a refresh token at Zoom and classifies the answer: new tokens, a refresh token refused for good
 * ({@link RefreshTokenRejectedException}), or a problem that says nothing about the token (Zoom down, our client
 * credentials refused), which must never cost the connection.
 */
@ApplicationScoped
public class ZoomTokenEndpoint {

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

    public TokenGrant refresh(String refreshToken) throws RefreshTokenRejectedException {
        String authorization = basicAuthorization();
        Instant issuedAt = clock.instant();
        Response response;
        try {
            response = client.refresh(authorization, "refresh_token", refreshToken);
        } catch (ProcessingException e) {
            throw ZoomFailures.unreachable("Zoom's token endpoint", e);
        }
        try (response) {
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            int status = response.getStatus();
            if (status == 200) {
                return grant(body, issuedAt);
            }
            OAuthError error = parse(body, OAuthError.class);
            if (status == 401 || (error != null && "invalid_client".equals(error.error()))) {
                throw new ProblemException(ProblemType.ZOOM_NOT_CONFIGURED,
                        "Zoom refused the app's client credentials (ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET).");
            }
            if (status >= 400 && status < 500 && status != 429 && error != null && "invalid_grant".equals(error.error())) {
                throw new RefreshTokenRejectedException();
            }
            if (status == 429 || status >= 500) {
                throw ZoomFailures.fromStatus("Zoom's token endpoint", status, response.getHeaderString(HttpHeaders.RETRY_AFTER), null,
                        error == null ? null : error.error());
            }
            throw new ProblemException(ProblemType.ZOOM_UNAVAILABLE, "Zoom's token endpoint refused the refresh with status "
                    + status + (error == null ? "." : " (" + error.error() + ")."));
        }
    }

    private TokenGrant grant(String body, Instant issuedAt) {
        TokenResponse tokens = parse(body, TokenResponse.class);
        if (tokens == null || blank(tokens.accessToken()) || blank(tokens.refreshToken()) || tokens.expiresIn() <= 0) {
            throw new ProblemException(ProblemType.ZOOM_UNAVAILABLE, "Zoom's token endpoint answered without the expected tokens.");
        }
        return new TokenGrant(tokens.accessToken(), tokens.refreshToken(), issuedAt.getEpochSecond() + tokens.expiresIn(),
                tokens.scope(), issuedAt);
    }

    private String basicAuthorization() {
        if (clientId.isEmpty()) {
            throw new ProblemException(ProblemType.ZOOM_NOT_CONFIGURED, "ZOOM_CLIENT_ID must be set to refresh Zoom access tokens.");
        }
        String pair = clientId.get() + ":" + clientSecret.value();
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

    @RegisterForReflection
    record TokenResponse(@JsonProperty("access_token") String accessToken,
            @JsonProperty("refresh_token") String refreshToken,
            @JsonProperty("expires_in") long expiresIn,
            @JsonProperty("scope") String scope) {
    }

    @RegisterForReflection
    record OAuthError(@JsonProperty("error") String error, @JsonProperty("reason") String reason) {
    }
}
