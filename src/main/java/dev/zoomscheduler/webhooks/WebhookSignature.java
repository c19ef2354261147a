package dev.zoomscheduler.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.secrets.SecretsManagerSecrets;
import dev.zoomscheduler.secrets.UnreadableSecretException;

/**
 * Zoom's webhook signatures: {@code x-zm-signature = "v0=" + hex(HMAC-SHA256(secret token, "v0:" + timestamp + ":" + body))}
 * with {@code x-zm-request-timestamp} in epoch seconds. A timestamp further than the allowed age from now is refused too,
 * so that a captured request cannot be replayed later. The comparison takes constant time. The secret token is
 * {@code ZOOM_WEBHOOK_SECRET_TOKEN}, or else the Secrets Manager secret {@code ZOOM_WEBHOOK_SECRET_ID} (the token itself,
 * or JSON with {@code secret_token}), read again once older than {@code SECRETS_MAX_AGE_SECONDS}.
 */
@ApplicationScoped
public class WebhookSignature {

    public static final String SIGNATURE_HEADER = "x-zm-signature";
    public static final String TIMESTAMP_HEADER = "x-zm-request-timestamp";

    static final String JSON_FIELD = "secret_token";

    private final Optional<String> secretToken;
    private final Optional<String> secretId;
    private final SecretsManagerSecrets secrets;
    private final Duration maxAge;
    private final Clock clock;

    public WebhookSignature(@ConfigProperty(name = "zoom.webhook-secret-token") Optional<String> secretToken,
            @ConfigProperty(name = "zoom.webhook-secret-id") Optional<String> secretId, SecretsManagerSecrets secrets,
            @ConfigProperty(name = "webhooks.max-age") Duration maxAge, Clock clock) {
        this.secretToken = secretToken.filter(token -> !token.isBlank());
        this.secretId = secretId.filter(id -> !id.isBlank());
        this.secrets = secrets;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** Refuses the request unless it carries a fresh, valid signature of exactly these body bytes. */
    public void verify(String timestamp, String signature, byte[] body) {
        String secret = secretToken();
        if (timestamp == null || signature == null || !timestamp.matches("\\d{1,12}")) {
            throw invalid("The request lacks the x-zm-request-timestamp and x-zm-signature headers.");
        }
        long age = clock.instant().getEpochSecond() - Long.parseLong(timestamp);
        if (Math.abs(age) > maxAge.toSeconds()) {
            throw invalid("The request's timestamp is too far from now.");
        }
        byte[] prefix = ("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, message, 0, prefix.length);
        System.arraycopy(body, 0, message, prefix.length, body.length);
        byte[] expected = ("v0=" + hmacHex(secret, message)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.US_ASCII))) {
            throw invalid("The x-zm-signature header does not match the request.");
        }
    }

    /** The answer to Zoom's URL validation challenge: {@code hex(HMAC-SHA256(secret token, plainToken))}. */
    public String encrypt(String plainToken) {
        return hmacHex(secretToken(), plainToken.getBytes(StandardCharsets.UTF_8));
    }

    private String secretToken() {
        if (secretToken.isPresent()) {
            return secretToken.get();
        }
        String id = secretId.orElseThrow(() -> new ProblemException(ProblemType.WEBHOOKS_NOT_CONFIGURED, "Neither"
                + " ZOOM_WEBHOOK_SECRET_TOKEN nor ZOOM_WEBHOOK_SECRET_ID is set, so Zoom's event notifications cannot be verified and are refused."));
        try {
            return secrets.value(id, JSON_FIELD);
        } catch (UnreadableSecretException e) {
            throw new ProblemException(ProblemType.WEBHOOKS_NOT_CONFIGURED,
                    "The webhook secret token could not be read from Secrets Manager (ZOOM_WEBHOOK_SECRET_ID), " + e.getMessage() + ".");
        }
    }

    private static String hmacHex(String secret, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.WEBHOOK_SIGNATURE_INVALID, detail);
    }
}
