package dev.zoomscheduler.tokens;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.secrets.SecretsManagerSecrets;
import dev.zoomscheduler.secrets.UnreadableSecretException;

/**
 * The Zoom app's client secret: {@code ZOOM_CLIENT_SECRET}, or else the Secrets Manager secret
 * {@code ZOOM_CLIENT_SECRET_ID} (the secret itself, or JSON with {@code client_secret}), so that the secret is in no
 * environment variable. Read at the first token request, not at start-up, and again once it is older than
 * {@code SECRETS_MAX_AGE_SECONDS} ({@link SecretsManagerSecrets}).
 */
@ApplicationScoped
public class ClientSecret {

    static final String JSON_FIELD = "client_secret";

    private final Optional<String> plain;
    private final Optional<String> secretId;
    private final SecretsManagerSecrets secrets;

    public ClientSecret(@ConfigProperty(name = "zoom.client-secret") Optional<String> plain,
            @ConfigProperty(name = "zoom.client-secret-id") Optional<String> secretId, SecretsManagerSecrets secrets) {
        this.plain = plain;
        this.secretId = secretId;
        this.secrets = secrets;
    }

    /** The longest the next {@link #value()} can take: nothing while the secret is held. */
    public Duration longestRead() {
        return plain.isPresent() || secretId.isEmpty() ? Duration.ZERO : secrets.longestRead(secretId.get());
    }

    /** The longest a {@link #value()} can take when the secret is not held (one call to Secrets Manager). */
    public Duration longestFirstRead() {
        return plain.isPresent() || secretId.isEmpty() ? Duration.ZERO : secrets.callTimeout();
    }

    public String value() {
        if (plain.isPresent()) {
            return plain.get();
        }
        String id = secretId.orElseThrow(() -> new ProblemException(ProblemType.ZOOM_NOT_CONFIGURED,
                "Set ZOOM_CLIENT_SECRET or ZOOM_CLIENT_SECRET_ID to refresh Zoom access tokens."));
        try {
            return secrets.value(id, JSON_FIELD);
        } catch (UnreadableSecretException e) {
            throw new ProblemException(ProblemType.ZOOM_NOT_CONFIGURED,
                    "The Zoom client secret could not be read from Secrets Manager (ZOOM_CLIENT_SECRET_ID), " + e.getMessage() + ".");
        }
    }
}
