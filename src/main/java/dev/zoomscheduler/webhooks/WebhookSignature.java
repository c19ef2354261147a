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

/**
 * Zoom's webhook signatures: {@code x-zm-signature = "v0=" + hex(HMAC-SHA256(secret token, "v0:" + timestamp + ":" + body))}
 * with {@code x-zm-request-timestamp} in epoch seconds. A timestamp further than the allowed age from now is refused too,
 * so that a captured request cannot be replayed later. The comparison takes constant time.
 */
@ApplicationScoped
public class WebhookSignature {

    public static final String SIGNATURE_HEADER = "x-zm-signature";
    public static final String TIMESTAMP_HEADER = "x-zm-request-timestamp";

    private final Optional<String> secretToken;
    private final Duration maxAge;
    private final Clock clock;

    public WebhookSignature(@ConfigProperty(name = "zoom.webhook-secret-token") Optional<String> secretToken,
            @ConfigProperty(name = "webhooks.max-age") Duration maxAge, Clock clock) {
        this.secretToken = secretToken.filter(token -> !token.isBlank());
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** Refuses the request unless it carries a fresh, valid signature of exactly these body bytes. */
    public void verify(String timestamp, String signature, byte[] body) {
        String secret = secretToken.orElseThrow(() -> new ProblemException(ProblemType.WEBHOOKS_NOT_CONFIGURED,
                "ZOOM_WEBHOOK_SECRET_TOKEN is not set, so Zoom's event notifications cannot be verified and are refused."));
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
        return hmacHex(secretToken.orElseThrow(), plainToken.getBytes(StandardCharsets.UTF_8));
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
