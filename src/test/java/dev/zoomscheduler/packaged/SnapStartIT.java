package dev.zoomscheduler.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.zoomscheduler.testing.AwsApiProxy;
import dev.zoomscheduler.testing.FunctionEnvironment;
import dev.zoomscheduler.testing.FunctionProcess;
import dev.zoomscheduler.testing.HttpApiEvents;
import dev.zoomscheduler.testing.LambdaRuntimeEmulator;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.zoom.ZoomFake;

/**
 * The JVM option's SnapStart hooks in the packaged function, as the managed runtime drives them: started with
 * {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}, AWS's runtime interface client initialises the function, runs
 * the CRaC {@code beforeCheckpoint} hooks, asks the Runtime API for {@code restore/next}, runs {@code afterRestore},
 * then polls for invocations. No memory snapshot is taken here (that needs Lambda); the hooks and what they do are real.
 * It also measures the first invocation of a fresh process with and without the priming (on-demand start).
 */
class SnapStartIT {

    static final Path TARGET = Path.of(System.getProperty("project.build.directory", "target"));
    static final int ROUNDS = 3;
    static final String CONNECTION = "snapstart";

    static ZoomFake zoom;
    static AwsApiProxy dynamo;

    @BeforeAll
    static void start() {
        // SnapStart exists only for Lambda's Java runtime: a custom runtime (the native bootstrap) has no snapshot to prime.
        Assumptions.assumeFalse(FunctionProcess.isCustomRuntime(FunctionProcess.packagedFunction(TARGET)),
                "SnapStart applies to the JVM function.zip only");
        zoom = ZoomFake.start();
        dynamo = AwsApiProxy.start(MotoServer.shared().endpoint());
        TokenTable.shared().seed(CONNECTION, zoom.authorize());
    }

    @AfterAll
    static void stop() {
        if (zoom != null) {
            dynamo.close();
            zoom.close();
        }
    }

    static Map<String, String> environment(String initializationType) {
        return FunctionEnvironment.onTables(dynamo.endpoint()).zoom(zoom).with("AWS_LAMBDA_INITIALIZATION_TYPE", initializationType)
                .variables();
    }

    /** One fresh function process: what it did before its first invocation, and that invocation. */
    record FirstInvocation(int restores, Map<String, Integer> callsBefore, Map<String, Integer> callsDuring, Duration latency) {
    }

    static FirstInvocation firstInvocation(String initializationType) {
        dynamo.resetCounts();
        try (LambdaRuntimeEmulator runtime = LambdaRuntimeEmulator.start();
                FunctionProcess function = FunctionProcess.start(TARGET, runtime.address(), environment(initializationType), List.of())) {
            runtime.awaitPollers(1, Duration.ofSeconds(60));
            Map<String, Integer> before = dynamo.counts();
            dynamo.resetCounts();
            LambdaRuntimeEmulator.Result result = runtime.invoke(HttpApiEvents.request("GET", "/meetings?page_size=5",
                    Map.of("x-zoom-connection", CONNECTION)), Duration.ofSeconds(30));
            assertFalse(result.error(), result.body());
            HttpApiEvents.Response response = HttpApiEvents.parseResponse(result.body());
            assertEquals(200, response.statusCode(), response.body() + "\n" + function.log());
            if (initializationType.equals("snap-start")) {
                assertTrue(function.log().contains("SnapStart: primed"), function.log());
            }
            return new FirstInvocation(runtime.restores(), before, dynamo.counts(), result.latency());
        }
    }

    @Test
    void beforeTheSnapshotTheFunctionPrimesDynamoDbWritesNothingAndReadsTheTokenOnlyAfterTheRestore() throws Exception {
        List<Long> primed = new ArrayList<>();
        List<Long> plain = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            FirstInvocation snapStart = firstInvocation("snap-start");
            assertEquals(1, snapStart.restores(), "the RIC ran the hooks and asked for restore/next");
            assertEquals(Map.of("GetItem", 2), snapStart.callsBefore(), "one read of each table, on a key that never exists");
            assertEquals(1, snapStart.callsDuring().getOrDefault("GetItem", 0), "the connection's token is read after the restore");
            primed.add(snapStart.latency().toMillis());

            FirstInvocation onDemand = firstInvocation("on-demand");
            assertEquals(0, onDemand.restores());
            assertEquals(Map.of(), onDemand.callsBefore(), "without SnapStart the hooks never run");
            plain.add(onDemand.latency().toMillis());
        }
        String figures = String.format("first invocation (GET /meetings, 1 DynamoDB read + 1 Zoom call) of a fresh JVM process:"
                + " with the SnapStart priming %s ms, without %s ms%n", primed, plain);
        System.out.print(figures);
        Files.writeString(Files.createDirectories(TARGET.resolve("snapstart")).resolve("first-invocation.txt"), figures);
    }
}
