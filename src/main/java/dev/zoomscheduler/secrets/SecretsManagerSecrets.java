package dev.zoomscheduler.secrets;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.aws.AwsClients;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Secrets Manager secrets, read with the AWS SDK's client (the URL-connection HTTP client, as every AWS client here) on
 * both runtimes, and kept for at most {@code SECRETS_MAX_AGE_SECONDS}: a rotated secret is in use everywhere within
 * that time, and an instance reads a secret at most once in it. The client exists only when a secret id is configured
 * ({@code ZOOM_CLIENT_SECRET_ID}, {@code ZOOM_WEBHOOK_SECRET_ID}); it is built with the bean, which {@code ClientPriming}
 * makes at init (SnapStart's snapshot). With SnapStart, every value is dropped before the snapshot and after a restore.
 */
@ApplicationScoped
public class SecretsManagerSecrets {

    /**
     * A value this close to its age limit is counted as not held by {@link #longestRead}: a token refresh that budgets no
     * time for the read must not find the value expired a moment later.
     */
    private static final Duration HEADROOM = Duration.ofMinutes(1);

    private final Duration maxAge;
    private final Duration callTimeout;
    private final Clock clock;
    private final ObjectMapper json;
    private final SecretsManagerClient client;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /**
     * A secret's value as read, and when; parsed once when it looks like JSON.
     *
     * @param structured the value as a JSON object, or null if it is a plain value or not valid JSON
     * @param malformed whether it starts like JSON but is not
     */
    private record Held(String secretString, JsonNode structured, boolean malformed, Instant readAt) {
    }

    public SecretsManagerSecrets(@ConfigProperty(name = "zoom.client-secret-id") Optional<String> clientSecretId,
            @ConfigProperty(name = "zoom.webhook-secret-id") Optional<String> webhookSecretId,
            @ConfigProperty(name = "secrets.max-age") Duration maxAge, @ConfigProperty(name = "secrets.call-timeout") Duration callTimeout,
            @ConfigProperty(name = "secrets.endpoint-override") Optional<String> endpointOverride, Clock clock, ObjectMapper json) {
        this.maxAge = maxAge;
        this.callTimeout = callTimeout;
        this.clock = clock;
        this.json = json;
        this.client = clientSecretId.isPresent() || webhookSecretId.isPresent() ? client(endpointOverride, callTimeout) : null;
    }

    private static SecretsManagerClient client(Optional<String> endpointOverride, Duration callTimeout) {
        return AwsClients.build(SecretsManagerClient.builder(), endpointOverride, callTimeout);
    }

    /** Whether any secret is read from Secrets Manager (and so a client exists). */
    public boolean enabled() {
        return client != null;
    }

    /**
     * The secret's value: its {@code SecretString}, or, when that is a JSON object, its field {@code jsonField} (so that
     * one secret can hold all of the Zoom app's secrets).
     *
     * @throws UnreadableSecretException if it cannot be read or holds no such value; the message never holds the value
     */
    public String value(String secretId, String jsonField) {
        Held current = read(secretId);
        if (current.malformed()) {
            throw new UnreadableSecretException(secretId, "its value starts like JSON but is not"); // the parser's message quotes the value
        }
        if (current.structured() == null) {
            return current.secretString();
        }
        String value = current.structured().path(jsonField).asText("");
        if (value.isEmpty()) {
            throw new UnreadableSecretException(secretId, "its JSON value has no field " + jsonField);
        }
        return value;
    }

    /** The longest reading {@code secretId} can take now: nothing while a value is held well within its age limit. */
    public Duration longestRead(String secretId) {
        Held current = held.get(secretId);
        return current != null && current.readAt.plus(maxAge).minus(HEADROOM).isAfter(clock.instant()) ? Duration.ZERO : callTimeout;
    }

    /** The longest one read from Secrets Manager can take ({@code SECRETSMANAGER_CALL_TIMEOUT_MS}, the SDK's retries included). */
    public Duration callTimeout() {
        return callTimeout;
    }

    /** Drops every value read: the next use reads it again (SnapStart: none is kept in a snapshot). */
    public void forgetAll() {
        held.clear();
    }

    private Held read(String secretId) {
        Instant now = clock.instant();
        Held current = held.get(secretId);
        if (current != null && current.readAt.plus(maxAge).isAfter(now)) {
            return current;
        }
        if (client == null) {
            throw new IllegalStateException("No Secrets Manager client: no secret id is configured");
        }
        String secretString;
        try {
            secretString = client.getSecretValue(r -> r.secretId(secretId)).secretString();
        } catch (RuntimeException e) {
            throw new UnreadableSecretException(secretId, "Secrets Manager answered " + e.getClass().getSimpleName());
        }
        if (secretString == null || secretString.isEmpty()) {
            throw new UnreadableSecretException(secretId, "it has no SecretString");
        }
        Held read = parsed(secretString, now);
        held.put(secretId, read);
        return read;
    }

    private Held parsed(String secretString, Instant readAt) {
        if (!secretString.trim().startsWith("{")) {
            return new Held(secretString, null, false, readAt);
        }
        try {
            return new Held(secretString, json.readTree(secretString), false, readAt);
        } catch (IOException e) {
            return new Held(secretString, null, true, readAt);
        }
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
