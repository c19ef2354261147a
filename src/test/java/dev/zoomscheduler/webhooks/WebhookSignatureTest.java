package dev.zoomscheduler.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;

/** Zoom's webhook signature, checked without a server: known vectors, the exact bytes, the timestamp's age. */
class WebhookSignatureTest {

    static final String SECRET = "webhook-secret-token";
    static final long NOW = 1_765_706_400L; // 2025-12-14T10:00:00Z
    static final String TIMESTAMP = Long.toString(NOW);
    static final Duration MAX_AGE = Duration.ofSeconds(300);
    /** A notification with characters of two and three UTF-8 bytes: the signature covers the bytes, not the text. */
    static final byte[] BODY = ("{\"event\":\"meeting.started\",\"event_ts\":1765706400000,\"payload\":{\"account_id\":\"acct\","
            + "\"object\":{\"id\":86220627999,\"topic\":\"Caf\u00e9 \u2615\"}}}").getBytes(StandardCharsets.UTF_8);
    /** Of BODY at TIMESTAMP with SECRET, computed outside Java (Python's hmac module). */
    static final String KNOWN_SIGNATURE = "v0=247d913a0a5ea1103546ef1142ea41423cddec771946fff246695fd46b3b4372";

    final WebhookSignature signature = withSecret(SECRET);

    @Test
    void theUrlValidationAnswerIsHmacSha256OfThePlainTokenInLowerCaseHex() {
        // RFC 4231, test case 2
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                withSecret("Jefe").encrypt("what do ya want for nothing?"));
    }

    @Test
    void aSignatureOfTheTimestampAndTheExactBodyIsAccepted() {
        signature.verify(TIMESTAMP, KNOWN_SIGNATURE, BODY);
        signature.verify(TIMESTAMP, sign(SECRET, TIMESTAMP, BODY), BODY);
        signature.verify(TIMESTAMP, " " + KNOWN_SIGNATURE + "\t", BODY); // around the header's value: not part of it
    }

    @Test
    void aTamperedBodyOrTimestampOrAnotherSecretIsRefused() {
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 3] ^= 1;
        String later = Long.toString(NOW + 1);

        assertInvalid(() -> signature.verify(TIMESTAMP, KNOWN_SIGNATURE, tampered), "does not match");
        assertInvalid(() -> signature.verify(later, KNOWN_SIGNATURE, BODY), "does not match");
        assertInvalid(() -> signature.verify(TIMESTAMP, sign("another-secret", TIMESTAMP, BODY), BODY), "does not match");
        assertInvalid(() -> signature.verify(TIMESTAMP, KNOWN_SIGNATURE.toUpperCase(), BODY), "does not match");
        assertInvalid(() -> signature.verify(TIMESTAMP, KNOWN_SIGNATURE.substring(3), BODY), "does not match"); // without "v0="
    }

    @Test
    void aRequestWithoutBothHeadersOrWithATimestampThatIsNotEpochSecondsIsRefused() {
        assertInvalid(() -> signature.verify(null, KNOWN_SIGNATURE, BODY), "lacks");
        assertInvalid(() -> signature.verify(TIMESTAMP, null, BODY), "lacks");
        assertInvalid(() -> signature.verify("2025-12-14T10:00:00Z", KNOWN_SIGNATURE, BODY), "lacks");
        assertInvalid(() -> signature.verify(NOW + "000", KNOWN_SIGNATURE, BODY), "lacks"); // milliseconds: 13 digits
    }

    @Test
    void aTimestampUpToTheMaximumAgeFromNowEitherWayIsAcceptedAndOneSecondMoreIsNot() {
        for (long edge : new long[] {NOW - MAX_AGE.toSeconds(), NOW + MAX_AGE.toSeconds()}) {
            String timestamp = Long.toString(edge);
            signature.verify(timestamp, sign(SECRET, timestamp, BODY), BODY);
        }
        for (long beyond : new long[] {NOW - MAX_AGE.toSeconds() - 1, NOW + MAX_AGE.toSeconds() + 1}) {
            String timestamp = Long.toString(beyond);
            assertInvalid(() -> signature.verify(timestamp, sign(SECRET, timestamp, BODY), BODY), "too far from now");
        }
    }

    @Test
    void withoutASecretTokenNothingIsVerified() {
        for (WebhookSignature unconfigured : new WebhookSignature[] {withSecret(null), withSecret(" ")}) {
            ProblemException e = assertThrows(ProblemException.class, () -> unconfigured.verify(TIMESTAMP, KNOWN_SIGNATURE, BODY));
            assertEquals(ProblemType.WEBHOOKS_NOT_CONFIGURED, e.type());
            assertEquals(503, e.status());
            assertEquals(ProblemType.WEBHOOKS_NOT_CONFIGURED,
                    assertThrows(ProblemException.class, () -> unconfigured.encrypt("plain")).type());
        }
    }

    /** The secret as ZOOM_WEBHOOK_SECRET_TOKEN (none: null), on a clock that reads NOW; Secrets Manager is never asked. */
    static WebhookSignature withSecret(String secretToken) {
        return new WebhookSignature(Optional.ofNullable(secretToken), Optional.empty(), null, MAX_AGE,
                Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
    }

    /** Zoom's signature, written out here apart from the product's code. */
    static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertInvalid(Executable verification, String detailPart) {
        ProblemException e = assertThrows(ProblemException.class, verification);
        assertEquals(ProblemType.WEBHOOK_SIGNATURE_INVALID, e.type());
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains(detailPart), e.getMessage());
    }
}
