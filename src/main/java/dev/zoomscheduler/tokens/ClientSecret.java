package dev.zoomscheduler.tokens;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;

/**
 * The Zoom app's client secret: {@code ZOOM_CLIENT_SECRET}, or else the Secrets Manager secret
 * {@code ZOOM_CLIENT_SECRET_ID} read through the AWS Parameters and Secrets Lambda Extension (a layer that serves
 * {@code localhost:2773} and caches), so the secret is in no environment variable and no SDK client is loaded. It is
 * read at the first token request, not at start-up, and kept for the life of the instance (with SnapStart: dropped
 * before the snapshot and after a restore, so no copy of the function starts with it).
 */
@ApplicationScoped
public class ClientSecret {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Optional<String> plain;
    private final Optional<String> secretId;
    private final String extensionUrl;
    private final Optional<String> sessionToken;
    private final ObjectMapper json;
    private volatile String resolved;

    public ClientSecret(@ConfigProperty(name = "zoom.client-secret") Optional<String> plain,
            @ConfigProperty(name = "zoom.client-secret-id") Optional<String> secretId,
            @ConfigProperty(name = "zoom.secrets-extension-url") String extensionUrl,
            @ConfigProperty(name = "aws.session-token") Optional<String> sessionToken, ObjectMapper json) {
        this.plain = plain;
        this.secretId = secretId;
        this.extensionUrl = extensionUrl;
        this.sessionToken = sessionToken;
        this.json = json;
    }

    /** The longest the next {@link #value()} can take: nothing once the secret is held. */
    public Duration longestRead() {
        return resolved != null || plain.isPresent() ? Duration.ZERO : longestFirstRead();
    }

    /** The longest the first {@link #value()} of an instance can take (connect, then the extension's answer). */
    public Duration longestFirstRead() {
        return plain.isPresent() || secretId.isEmpty() ? Duration.ZERO : TIMEOUT.multipliedBy(2);
    }

    public String value() {
        String secret = resolved;
        if (secret == null) {
            secret = plain.or(() -> secretId.map(this::fromSecretsManager)).orElseThrow(() -> new ProblemException(
                    ProblemType.ZOOM_NOT_CONFIGURED, "Set ZOOM_CLIENT_SECRET or ZOOM_CLIENT_SECRET_ID to refresh Zoom access tokens."));
            resolved = secret;
        }
        return secret;
    }

    /** Drops the secret read so far: the next {@link #value()} reads it again (SnapStart: not kept in a snapshot). */
    public void forget() {
        resolved = null;
    }

    /** The secret's {@code SecretString}: the secret itself, or a JSON object whose {@code client_secret} it is. */
    private String fromSecretsManager(String id) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(extensionUrl + "/secretsmanager/get?secretId="
                + URLEncoder.encode(id, StandardCharsets.UTF_8)))
                .header("X-Aws-Parameters-Secrets-Token", sessionToken.orElse(""))
                .timeout(TIMEOUT).GET().build();
        try {
            HttpResponse<String> answer = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw notReadable("the secrets extension answered " + answer.statusCode());
            }
            String secretString = json.readTree(answer.body()).path("SecretString").asText("");
            JsonNode structured = secretString.startsWith("{") ? json.readTree(secretString) : null;
            String secret = structured != null ? structured.path("client_secret").asText("") : secretString;
            if (secret.isEmpty()) {
                throw notReadable("the secret holds no client secret");
            }
            return secret;
        } catch (IOException e) {
            throw notReadable("the secrets extension could not be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw notReadable("interrupted");
        }
    }

    private ProblemException notReadable(String why) {
        return new ProblemException(ProblemType.ZOOM_NOT_CONFIGURED, "The Zoom client secret could not be read from Secrets Manager"
                + " (ZOOM_CLIENT_SECRET_ID): " + why + ".");
    }
}
