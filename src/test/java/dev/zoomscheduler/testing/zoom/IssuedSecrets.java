package dev.zoomscheduler.testing.zoom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Every secret the fake hands out (the app's secrets, tokens, authorisation codes), each appended to
 * {@code target/test-logs/issued-secrets-<pid>.txt}, so that SecretsInLogsIT can search the logs of the whole test suite
 * for them.
 */
final class IssuedSecrets {

    static final SecureRandom RANDOM = new SecureRandom();

    IssuedSecrets(String... appSecrets) {
        for (String secret : appSecrets) {
            issue(secret);
        }
    }

    /** Notes {@code secret} as one that must never be logged, and returns it. */
    String issue(String secret) {
        record(secret);
        return secret;
    }

    /** A new token that looks like Zoom's (a JWT of a few hundred characters), and is unguessable. */
    String jwtLike() {
        return issue("eyJzdiI6IjAwMDAwMSIsImFsZyI6IkhTNTEyIiwidiI6IjIuMCJ9." + random(150) + "." + random(64));
    }

    /** {@code bytes} random bytes, URL-safe Base64: unguessable, but not a secret by itself. */
    static String random(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static synchronized void record(String secret) {
        try {
            Path file = Files.createDirectories(Path.of("target", "test-logs"))
                    .resolve("issued-secrets-" + ProcessHandle.current().pid() + ".txt");
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("The issued secrets could not be recorded", e);
        }
    }
}
