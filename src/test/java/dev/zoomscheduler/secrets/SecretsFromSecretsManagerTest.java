package dev.zoomscheduler.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.testing.AwsApiProxy;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.TestClock;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import dev.zoomscheduler.testing.zoom.ZoomWebhooks;
import dev.zoomscheduler.tokens.ClientSecret;
import dev.zoomscheduler.webhooks.WebhookSignature;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Zoom app's client secret and webhook secret token from Secrets Manager (moto_server's, behind a counting proxy),
 * read with the SDK's client as the function does: plain or JSON secrets, one secret for both, kept no longer than the
 * age limit (a rotation is picked up), dropped on demand (SnapStart), and failures that name no secret.
 */
class SecretsFromSecretsManagerTest {

    static final Duration MAX_AGE = Duration.ofMinutes(5);
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

    static AwsApiProxy proxy;
    static SecretsManagerClient admin;
    final String run = UUID.randomUUID().toString().substring(0, 8);
    final TestClock clock = new TestClock();

    @BeforeAll
    static void start() {
        proxy = AwsApiProxy.start(MotoServer.shared().endpoint());
        admin = SecretsManagerClient.builder().endpointOverride(URI.create(MotoServer.shared().endpoint()))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        admin.close();
        proxy.close();
    }

    @Test
    void aPlainClientSecretIsUsedAsItIsAndSecretsManagerIsNotCalled() {
        String id = secret("plain", ZoomFake.CLIENT_SECRET);
        ClientSecret secret = new ClientSecret(Optional.of("from-the-environment"), Optional.of(id), secrets(Optional.of(id), Optional.empty()));
        proxy.resetCounts();
        assertEquals("from-the-environment", secret.value());
        assertEquals(Duration.ZERO, secret.longestRead());
        assertEquals(0, proxy.total());
    }

    @Test
    void theClientSecretIsReadOnceUntilItIsOlderThanTheAgeLimitThenARotationIsPickedUp() {
        String id = secret("client", ZoomFake.CLIENT_SECRET);
        SecretsManagerSecrets secrets = secrets(Optional.of(id), Optional.empty());
        ClientSecret secret = new ClientSecret(Optional.empty(), Optional.of(id), secrets);
        proxy.resetCounts();
        assertEquals(CALL_TIMEOUT, secret.longestRead(), "not held yet: a refresh budgets one call");

        assertEquals(ZoomFake.CLIENT_SECRET, secret.value());
        assertEquals(ZoomFake.CLIENT_SECRET, secret.value());
        assertEquals(Map.of("GetSecretValue", 1), proxy.counts());
        assertEquals(Duration.ZERO, secret.longestRead());

        admin.putSecretValue(r -> r.secretId(id).secretString("rotated-client-secret"));
        clock.advance(MAX_AGE.minusMinutes(1).plusSeconds(1));
        assertEquals(CALL_TIMEOUT, secret.longestRead(), "about to expire: counted as not held");
        assertEquals(ZoomFake.CLIENT_SECRET, secret.value(), "still within its age");
        clock.advance(Duration.ofMinutes(1));
        assertEquals("rotated-client-secret", secret.value(), "read again once older than the limit");
        assertEquals(Map.of("GetSecretValue", 2), proxy.counts());
    }

    @Test
    void oneJsonSecretCanHoldBothSecretsAndIsReadOnceForBoth() {
        String id = secret("app", "{\"client_id\":\"" + ZoomFake.CLIENT_ID + "\",\"client_secret\":\"" + ZoomFake.CLIENT_SECRET
                + "\",\"secret_token\":\"" + ZoomFake.WEBHOOK_SECRET_TOKEN + "\"}");
        SecretsManagerSecrets secrets = secrets(Optional.of(id), Optional.of(id));
        ClientSecret clientSecret = new ClientSecret(Optional.empty(), Optional.of(id), secrets);
        WebhookSignature signature = new WebhookSignature(Optional.empty(), Optional.of(id), secrets, Duration.ofMinutes(5),
                Clock.systemUTC());
        proxy.resetCounts();

        assertEquals(ZoomFake.CLIENT_SECRET, clientSecret.value());
        String body = "{\"event\":\"meeting.deleted\",\"event_ts\":" + System.currentTimeMillis() + "}";
        Map<String, String> headers = ZoomWebhooks.signedHeaders(body, Instant.now().getEpochSecond());
        signature.verify(headers.get("x-zm-request-timestamp"), headers.get("x-zm-signature"), body.getBytes(StandardCharsets.UTF_8));
        assertEquals(ZoomWebhooks.encryptedToken("plain-token"), signature.encrypt("plain-token"));
        assertEquals(Map.of("GetSecretValue", 1), proxy.counts());
    }

    @Test
    void forgettingDropsEveryValueAndTheNextUseReadsAgain() {
        String id = secret("forget", ZoomFake.CLIENT_SECRET);
        SecretsManagerSecrets secrets = secrets(Optional.of(id), Optional.empty());
        ClientSecret secret = new ClientSecret(Optional.empty(), Optional.of(id), secrets);
        secret.value();
        proxy.resetCounts();
        secrets.forgetAll();
        assertEquals(0, proxy.total(), "forgetting reads nothing");
        assertEquals(ZoomFake.CLIENT_SECRET, secret.value());
        assertEquals(Map.of("GetSecretValue", 1), proxy.counts());
    }

    @Test
    void failuresAreRetryableProblemsThatNameTheSecretButNeverItsValue() {
        String missing = "zoom/missing-" + run;
        String noField = secret("no-field", "{\"client_id\":\"" + ZoomFake.CLIENT_SECRET + "\"}");
        String broken = secret("broken", "{\"client_secret\": " + ZoomFake.CLIENT_SECRET);
        for (String id : new String[] { missing, noField, broken }) {
            ClientSecret secret = new ClientSecret(Optional.empty(), Optional.of(id), secrets(Optional.of(id), Optional.empty()));
            ProblemException problem = assertThrows(ProblemException.class, secret::value);
            assertEquals(ProblemType.ZOOM_NOT_CONFIGURED, problem.type());
            assertFalse(problem.getMessage().contains(ZoomFake.CLIENT_SECRET), problem.getMessage());
            assertTrue(problem.getMessage().contains(id), "names the secret: " + problem.getMessage());
        }
        ProblemException none = assertThrows(ProblemException.class,
                () -> new ClientSecret(Optional.empty(), Optional.empty(), secrets(Optional.empty(), Optional.empty())).value());
        assertEquals(ProblemType.ZOOM_NOT_CONFIGURED, none.type());

        proxy.failNext("GetSecretValue", 10, 500, "InternalServiceError");
        WebhookSignature signature = new WebhookSignature(Optional.empty(), Optional.of(noField),
                secrets(Optional.empty(), Optional.of(noField)), Duration.ofMinutes(5), Clock.systemUTC());
        ProblemException unavailable = assertThrows(ProblemException.class, () -> signature.encrypt("plain-token"));
        assertEquals(ProblemType.WEBHOOKS_NOT_CONFIGURED, unavailable.type(), "503: Zoom delivers the webhook again");
        proxy.clearFaults();
    }

    private String secret(String name, String value) {
        return admin.createSecret(r -> r.name("zoom/" + name + "-" + run).secretString(value)).name();
    }

    private SecretsManagerSecrets secrets(Optional<String> clientSecretId, Optional<String> webhookSecretId) {
        return new SecretsManagerSecrets(clientSecretId, webhookSecretId, MAX_AGE, CALL_TIMEOUT, Optional.of(proxy.endpoint()), clock,
                new ObjectMapper());
    }
}
