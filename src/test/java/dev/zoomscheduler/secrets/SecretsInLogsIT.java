package dev.zoomscheduler.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.zoomscheduler.testing.FunctionProcess;
import dev.zoomscheduler.testing.zoom.ZoomFake;

/**
 * Runs after every other test (its own failsafe execution): searches all the log output of the whole suite (the Quarkus
 * test JVM's log file, every function process's log, the local run's) for every token the Zoom fakes issued, the client
 * secret, and the Basic authorisation built from it. None may appear.
 */
class SecretsInLogsIT {

    static final Path TARGET = Path.of(System.getProperty("project.build.directory", "target"));

    @Test
    void noTokenOrSecretAppearsInAnyLog() throws IOException {
        Set<String> secrets = new HashSet<>();
        List<Path> logs = new ArrayList<>();
        try (Stream<Path> files = Stream.concat(list(TARGET.resolve("test-logs")), list(TARGET.resolve("lambda-logs")))) {
            files.forEach(file -> {
                if (file.getFileName().toString().startsWith("issued-secrets-")) {
                    secrets.addAll(lines(file));
                } else {
                    logs.add(file);
                }
            });
        }
        secrets.add("Basic " + Base64.getEncoder().encodeToString((ZoomFake.CLIENT_ID + ":" + ZoomFake.CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8)));

        long bytes = 0;
        List<String> leaks = new ArrayList<>();
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            bytes += text.length();
            for (String secret : secrets) {
                if (!secret.isBlank() && text.contains(secret)) {
                    leaks.add(log.getFileName() + " holds " + secret.substring(0, Math.min(12, secret.length())) + "...");
                }
            }
        }

        System.out.printf("secrets in logs: %d secrets searched in %d log files (%d characters): %d found%n", secrets.size(),
                logs.size(), bytes, leaks.size());
        // With -Dpackaged.function only the packaged tests ran (about 20 secrets); the whole suite issues hundreds.
        String artifact = System.getProperty(FunctionProcess.ARTIFACT_PROPERTY, "");
        assertTrue(secrets.size() > (artifact.isBlank() ? 50 : 15), "the suite issued tokens to search for: " + secrets.size());
        assertTrue(logs.size() >= 3 && bytes > 10_000, "the suite's logs were found");
        if (!artifact.isBlank() && FunctionProcess.isCustomRuntime(Path.of(artifact))) {
            assertTrue(logs.stream().anyMatch(log -> log.getFileName().toString().endsWith("-native.log")),
                    "the native executable's logs are among them");
        }
        assertEquals(List.of(), leaks);
    }

    private static Stream<Path> list(Path directory) {
        try {
            return Files.isDirectory(directory) ? Files.list(directory).filter(Files::isRegularFile).toList().stream() : Stream.empty();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
