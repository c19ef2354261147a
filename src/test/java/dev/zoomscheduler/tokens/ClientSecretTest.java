package dev.zoomscheduler.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;

/**
 * The client secret from Secrets Manager, through a stand-in for the AWS Parameters and Secrets Lambda Extension that
 * answers as the real one does (its session-token header required, the secret in {@code SecretString}).
 */
class ClientSecretTest {

    static final String SESSION_TOKEN = "session-token-of-the-function";
    static final Map<String, String> SECRETS = Map.of(
            "zoom/plain", "plain-client-secret",
            "zoom/structured", "{\"client_id\":\"id\",\"client_secret\":\"structured-client-secret\"}",
            "zoom/empty", "{\"client_id\":\"id\"}");

    HttpServer extension;
    final AtomicInteger reads = new AtomicInteger();

    @BeforeEach
    void startExtension() throws IOException {
        extension = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        extension.createContext("/secretsmanager/get", exchange -> {
            reads.incrementAndGet();
            String id = java.net.URLDecoder.decode(exchange.getRequestURI().getRawQuery().replace("secretId=", ""), StandardCharsets.UTF_8);
            boolean authorised = SESSION_TOKEN.equals(exchange.getRequestHeaders().getFirst("X-Aws-Parameters-Secrets-Token"));
            String secret = SECRETS.get(id);
            int status = !authorised ? 401 : secret == null ? 400 : 200;
            byte[] body = (status == 200 ? new ObjectMapper().createObjectNode().put("Name", id).put("SecretString", secret).toString()
                    : "{\"message\":\"not found\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        extension.start();
    }

    @AfterEach
    void stopExtension() {
        extension.stop(0);
    }

    @Test
    void aPlainSecretIsUsedAsItIs() {
        assertEquals("from-env", secret(Optional.of("from-env"), Optional.of("zoom/plain"), SESSION_TOKEN).value());
        assertEquals(0, reads.get());
    }

    @Test
    void theSecretIsReadFromSecretsManagerOnceInBothForms() {
        ClientSecret plain = secret(Optional.empty(), Optional.of("zoom/plain"), SESSION_TOKEN);
        assertEquals("plain-client-secret", plain.value());
        assertEquals("plain-client-secret", plain.value());
        assertEquals(1, reads.get(), "kept for the life of the instance");
        assertEquals("structured-client-secret", secret(Optional.empty(), Optional.of("zoom/structured"), SESSION_TOKEN).value());
    }

    @Test
    void aForgottenSecretIsReadAgainOnItsNextUse() {
        ClientSecret secret = secret(Optional.empty(), Optional.of("zoom/plain"), SESSION_TOKEN);
        assertEquals("plain-client-secret", secret.value());
        secret.forget();
        assertEquals(1, reads.get(), "forgetting reads nothing");
        assertEquals("plain-client-secret", secret.value());
        assertEquals(2, reads.get());
    }

    @Test
    void failuresAreClearProblemsThatNameNoSecret() {
        for (ClientSecret broken : new ClientSecret[] {
                secret(Optional.empty(), Optional.empty(), SESSION_TOKEN),
                secret(Optional.empty(), Optional.of("zoom/missing"), SESSION_TOKEN),
                secret(Optional.empty(), Optional.of("zoom/empty"), SESSION_TOKEN),
                secret(Optional.empty(), Optional.of("zoom/plain"), "wrong-session-token") }) {
            ProblemException problem = assertThrows(ProblemException.class, broken::value);
            assertEquals(ProblemType.ZOOM_NOT_CONFIGURED, problem.type());
            assertFalse(problem.getMessage().contains("client-secret\""), problem.getMessage());
        }
    }

    private ClientSecret secret(Optional<String> plain, Optional<String> id, String sessionToken) {
        return new ClientSecret(plain, id, "http://127.0.0.1:" + extension.getAddress().getPort(), Optional.of(sessionToken),
                new ObjectMapper());
    }
}
