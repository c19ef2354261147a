package dev.zoomscheduler.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.testing.AwsApiProxy;
import dev.zoomscheduler.testing.FunctionEnvironment;
import dev.zoomscheduler.testing.FunctionProcess;
import dev.zoomscheduler.testing.HttpApiEvents;
import dev.zoomscheduler.testing.LambdaRuntimeEmulator;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.SqsEvents;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code ./mvnw -Pbench}: measures, in one run on one machine, what the packaged function adds to Zoom's own latency
 * (docs/performance.md). Everything runs as in the end-to-end tests: moto_server as DynamoDB behind a counting
 * proxy, the strict Zoom fake answering after {@link #ZOOM_LATENCY}, and {@code target/function.zip} under AWS's
 * runtime interface client polling the Runtime API emulator. The baseline of the cold start is
 * {@code bench/minimal-function}, built here with the same Quarkus version and started with the same JVM options.
 * With {@code -Dbench.native=ZIP} (and {@code -Dbench.native-baseline=ZIP}) the native builds of both, made beforehand
 * with the project's native build kit, are measured beside them in the same run (docs/performance.md); with
 * {@code -Dbench.native-reference=ZIP} also a second native build of the scheduler (the one before a change), so that
 * the change is read as a ratio measured in one run.
 *
 * <p>Figures on a shared two-core machine are noisy, so every comparison is made within this run, with the two sides
 * interleaved request by request (or start by start), and reported as a ratio.
 */
public final class Benchmark {

    static final Duration ZOOM_LATENCY = Duration.ofMillis(50);
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final int WARM_UP = Integer.getInteger("bench.warm-up", 150);
    static final int REQUESTS = Integer.getInteger("bench.requests", 300);
    static final int BATCHES = Integer.getInteger("bench.batches", 30);
    static final int BATCH_SIZE = 10;
    static final int COLD_STARTS = Integer.getInteger("bench.cold-starts", 5);
    static final int EXPIRIES = Integer.getInteger("bench.expiries", 5);
    static final int RACING_PROCESSES = 3;
    static final int RACING_REQUESTS = 12;
    /** The function's default TOKEN_REFRESH_MARGIN_SECONDS; tokens issued with this lifetime plus a little expire soon. */
    static final Duration REFRESH_MARGIN = Duration.ofSeconds(300);
    static final Duration SHORT_TOKEN_LIFETIME = REFRESH_MARGIN.plusSeconds(3);
    static final Duration UNTIL_SHORT_TOKEN_EXPIRES = Duration.ofMillis(3_500);
    /** A build's function and baseline get the same Lambda memory setting (template.yaml's), hence the same heap. */
    static final String JVM_MEMORY_MB = "512";
    static final String NATIVE_MEMORY_MB = "256";

    static final ObjectMapper JSON = new ObjectMapper();

    private final Path project;
    private final Path target;
    private final String meeting;
    private final HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String[]> summary = new ArrayList<>();
    private MotoServer moto;
    private ZoomFake zoom;
    private AwsApiProxy dynamo;
    private TokenTable table;
    private long batchSequence;

    private Benchmark(Path project) throws IOException {
        this.project = project;
        this.target = project.resolve("target");
        this.meeting = JSON.readTree(Files.readString(project.resolve("events/http-create-meeting.json"))).get("body").asText();
    }

    public static void main(String[] args) throws Exception {
        // The Zoom fake and the DynamoDB proxy are the JDK's HttpServer, which by default writes with Nagle's algorithm
        // on: against the clients' delayed ACKs that stalls answers by ~40 ms, more than what is measured here.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Path project = Path.of(System.getProperty("bench.project", "")).toAbsolutePath().normalize();
        new Benchmark(project).run();
    }

    /** One build of a function: its zip, the Lambda memory setting it runs with, and its name in the figures. */
    private record Build(String name, Path zip, String memoryMb) {
    }

    /** The native build named by a system property (a function.zip with bootstrap at its root), if any. */
    private static Build nativeBuild(String property, String name) {
        String zip = System.getProperty(property, "");
        if (zip.isBlank()) {
            return null;
        }
        Path path = Path.of(zip).toAbsolutePath().normalize();
        if (!FunctionProcess.isCustomRuntime(path)) {
            throw new IllegalStateException(property + "=" + zip + " is not a native function.zip (no bootstrap at its root)");
        }
        return new Build(name, path, NATIVE_MEMORY_MB);
    }

    private void run() throws Exception {
        Build nativeFunction = nativeBuild("bench.native", "native");
        Build nativeBaseline = nativeBuild("bench.native-baseline", "native");
        Build nativeReference = nativeBuild("bench.native-reference", "native ref");
        if (nativeReference != null && nativeFunction == null) {
            throw new IllegalStateException("bench.native-reference is measured beside bench.native: set both");
        }
        printMachine(nativeFunction != null);
        Build jvmFunction = new Build("JVM", target.resolve("function.zip"), JVM_MEMORY_MB);
        Build jvmBaseline = new Build("JVM", buildMinimalFunction().resolve("function.zip"), JVM_MEMORY_MB);
        moto = MotoServer.start();
        try (ZoomFake zoomFake = ZoomFake.start(); AwsApiProxy proxy = AwsApiProxy.start(moto.endpoint())) {
            zoom = zoomFake;
            dynamo = proxy;
            moto.createTables(MotoServer.TOKEN_TABLE, MotoServer.REQUEST_TABLE);
            table = new TokenTable(moto.client(), MotoServer.TOKEN_TABLE);
            zoom.latency(ZOOM_LATENCY);
            zoom.dailyCreateUpdateLimit(Integer.MAX_VALUE);
            ZoomFake.Grant grant = zoom.authorize();
            table.seed("default", grant);

            emulatorAlone();
            LatencyFloor floor = minimalFunctionWarm(jvmBaseline);
            warmInstance(jvmFunction, grant, floor, true);
            if (nativeFunction != null) {
                LatencyFloor nativeFloor = nativeBaseline != null ? minimalFunctionWarm(nativeBaseline) : floor;
                warmInstance(nativeFunction, grant, nativeFloor, false);
                if (nativeReference != null) {
                    warmInstance(nativeReference, grant, nativeFloor, false);
                }
            }
            racingInstances(jvmFunction);
            coldStarts(jvmBaseline, jvmFunction, nativeBaseline, nativeFunction, nativeReference);
        } finally {
            moto.kill();
        }
        printSummary();
    }

    // ---- set-up -----------------------------------------------------------------------------------------------

    private void printMachine(boolean withNative) throws IOException {
        String cpu;
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        }
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        section("Machine");
        line("date        %s", OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        line("cpu         %d x %s", Runtime.getRuntime().availableProcessors(), cpu);
        line("load avg    %s (another build on this machine makes every figure noisier; ratios are what counts)", load);
        line("java        %s (%s), the function JVMs: %s", System.getProperty("java.version"), System.getProperty("java.vm.name"),
                "-XX:+UseSerialGC -XX:+TieredCompilation -XX:TieredStopAtLevel=1, heap 85% of " + JVM_MEMORY_MB + " MB (FunctionProcess)");
        if (withNative) {
            line("native      bootstrap as a custom runtime, heap 80%% of %s MB (FunctionProcess)", NATIVE_MEMORY_MB);
        }
        line("zoom fake   %d ms added to every answer", ZOOM_LATENCY.toMillis());
        summary("Date", OffsetDateTime.now(ZoneOffset.UTC).toLocalDate().toString(), "");
        summary("Machine", Runtime.getRuntime().availableProcessors() + " x " + cpu + ", Java " + System.getProperty("java.version"),
                "load avg " + load.split(" ")[0] + " at start");
    }

    /** Builds bench/minimal-function with this project's Quarkus version, so the baseline is built in the same run. */
    private Path buildMinimalFunction() throws IOException, InterruptedException {
        section("Building the baseline: bench/minimal-function (quarkus-rest + quarkus-amazon-lambda-http, one GET route)");
        String quarkusVersion = System.getProperty("bench.quarkus-version");
        if (quarkusVersion == null) {
            throw new IllegalStateException("bench.quarkus-version is not set; run the benchmark with ./mvnw -Pbench");
        }
        long started = System.nanoTime();
        Process build = new ProcessBuilder(project.resolve("mvnw").toString(), "-q", "-B", "-f",
                project.resolve("bench/minimal-function/pom.xml").toString(), "package", "-Dquarkus.platform.version=" + quarkusVersion)
                .directory(project.toFile()).inheritIO().start();
        if (build.waitFor() != 0) {
            throw new IllegalStateException("the baseline function did not build (exit " + build.exitValue() + ")");
        }
        line("built with Quarkus %s in %.1f s", quarkusVersion, (System.nanoTime() - started) / 1e9);
        return project.resolve("bench/minimal-function/target");
    }

    private Map<String, String> functionEnvironment(Build build) {
        return FunctionEnvironment.onTables(dynamo.endpoint()).zoom(zoom).sqs(moto.endpoint())
                .with("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", build.memoryMb())
                .with("TOKEN_REFRESH_MARGIN_SECONDS", Long.toString(REFRESH_MARGIN.toSeconds())).variables();
    }

    private static Map<String, String> baselineEnvironment(Build build) {
        return Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", build.memoryMb());
    }

    private FunctionProcess startFunction(Build build, LambdaRuntimeEmulator runtime, Map<String, String> env) {
        return FunctionProcess.start(build.zip(), target, runtime.address(), env, List.of());
    }

    // ---- the floors: the emulator alone, the baseline function warm -------------------------------------------

    /** The Runtime API emulator with the cheapest possible runtime: a poller that answers every event at once. */
    private void emulatorAlone() throws Exception {
        section("Runtime API emulator alone: a plain HTTP poller answers each event at once");
        try (LambdaRuntimeEmulator runtime = LambdaRuntimeEmulator.start()) {
            Thread poller = new Thread(() -> answerEveryEvent(runtime.address()), "answering-poller");
            poller.setDaemon(true);
            poller.start();
            runtime.awaitPollers(1, TIMEOUT);
            long[] nanos = timeHelloInvocations(runtime);
            line("%d invocations: p50 %s, p99 %s", REQUESTS, ms(percentile(nanos, 0.50)), ms(percentile(nanos, 0.99)));
            summary("Runtime API emulator alone, one invocation", "p50 " + ms(percentile(nanos, 0.50)) + ", p99 " + ms(percentile(nanos, 0.99)),
                    "the harness's own share");
        }
    }

    /** Sorted, the times the caller waits for {@code GET /hello} invocations, after the warm-up. */
    private static long[] timeHelloInvocations(LambdaRuntimeEmulator runtime) {
        String event = HttpApiEvents.request("GET", "/hello");
        long[] nanos = new long[REQUESTS];
        for (int i = 0; i < WARM_UP + REQUESTS; i++) {
            long started = System.nanoTime();
            requireStatus(200, invoke(runtime, event));
            if (i >= WARM_UP) {
                nanos[i - WARM_UP] = System.nanoTime() - started;
            }
        }
        Arrays.sort(nanos);
        return nanos;
    }

    /** Runs until the emulator closes. */
    private static void answerEveryEvent(String runtimeApi) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String base = "http://" + runtimeApi + "/2018-06-01/runtime/invocation/";
        try {
            while (true) {
                HttpResponse<Void> next = client.send(HttpRequest.newBuilder(URI.create(base + "next")).build(),
                        HttpResponse.BodyHandlers.discarding());
                String requestId = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
                client.send(HttpRequest.newBuilder(URI.create(base + requestId + "/response"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"statusCode\":200,\"body\":\"hello\"}")).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        } catch (IOException closed) {
            // the emulator is gone: so is the measurement
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the emulator and a trivial Quarkus lambda-http function cost per invocation: the floor of any function here. */
    private record LatencyFloor(long p50Nanos, long p99Nanos) {
    }

    private LatencyFloor minimalFunctionWarm(Build baseline) {
        section("Baseline function (" + baseline.name() + "), warm: GET /hello through the Runtime API emulator");
        try (LambdaRuntimeEmulator runtime = LambdaRuntimeEmulator.start();
                FunctionProcess function = startFunction(baseline, runtime, baselineEnvironment(baseline))) {
            runtime.awaitPollers(1, TIMEOUT);
            long[] nanos = timeHelloInvocations(runtime);
            LatencyFloor floor = new LatencyFloor(percentile(nanos, 0.50), percentile(nanos, 0.99));
            long rss = function.residentMemoryKiB();
            line("%d invocations after %d to warm up: p50 %s, p99 %s; resident memory %d MiB", REQUESTS, WARM_UP, ms(floor.p50Nanos()),
                    ms(floor.p99Nanos()), rss / 1024);
            summary("Baseline function (" + baseline.name() + "), warm invocation through the emulator",
                    "p50 " + ms(floor.p50Nanos()) + ", p99 " + ms(floor.p99Nanos()), "the floor of any function of this build here");
            summary("Baseline function (" + baseline.name() + "), resident memory after warm-up", rss / 1024 + " MiB", "");
            return floor;
        }
    }

    // ---- one warm instance: latency, DynamoDB calls, a refresh ------------------------------------------------

    private void warmInstance(Build build, ZoomFake.Grant grant, LatencyFloor floor, boolean withRefreshes) throws Exception {
        try (LambdaRuntimeEmulator runtime = LambdaRuntimeEmulator.start();
                FunctionProcess function = startFunction(build, runtime, functionEnvironment(build))) {
            runtime.awaitPollers(1, TIMEOUT);
            warmHttp(build, runtime, function, grant, floor);
            warmBatches(build, runtime, function, grant);
            if (withRefreshes) {
                refreshes(runtime);
            }
        }
    }

    private void warmHttp(Build build, LambdaRuntimeEmulator runtime, FunctionProcess function, ZoomFake.Grant grant, LatencyFloor floor)
            throws Exception {
        section("Warm POST /meetings (" + build.name() + "): through the function vs straight to the Zoom fake, interleaved");
        String event = HttpApiEvents.request("POST", "/meetings", Map.of("content-type", "application/json"), meeting);
        long[] throughFunction = new long[REQUESTS];
        long[] functionDuration = new long[REQUESTS];
        long[] straight = new long[REQUESTS];
        for (int i = 0; i < WARM_UP + REQUESTS; i++) {
            if (i == WARM_UP) {
                dynamo.resetCounts();
                zoom.resetCounters();
            }
            long started = System.nanoTime();
            LambdaRuntimeEmulator.Result result = runtime.invoke(event, TIMEOUT);
            long answered = System.nanoTime();
            requireStatus(201, HttpApiEvents.parseResponse(result.body()));
            long directStarted = System.nanoTime();
            requireStatus(201, postToZoom(grant));
            long directAnswered = System.nanoTime();
            if (i >= WARM_UP) {
                throughFunction[i - WARM_UP] = answered - started;
                functionDuration[i - WARM_UP] = result.latency().toNanos();
                straight[i - WARM_UP] = directAnswered - directStarted;
            }
        }
        int dynamoCalls = dynamo.total();
        int zoomCalls = zoom.apiCallCount() - REQUESTS;
        int tokenRequests = zoom.tokenRequestCount();
        Arrays.sort(throughFunction);
        Arrays.sort(functionDuration);
        Arrays.sort(straight);
        long fp50 = percentile(throughFunction, 0.50), fp99 = percentile(throughFunction, 0.99);
        long dp50 = percentile(straight, 0.50), dp99 = percentile(straight, 0.99);
        long ip50 = percentile(functionDuration, 0.50), ip99 = percentile(functionDuration, 0.99);
        line("%d requests each way after %d to warm up", REQUESTS, WARM_UP);
        line("straight to Zoom (java.net.http, keep-alive, bearer token)   p50 %s   p99 %s", ms(dp50), ms(dp99));
        line("through emulator + function (what the caller waits)          p50 %s   p99 %s   ratio p50 %.3f  p99 %.3f", ms(fp50),
                ms(fp99), ratio(fp50, dp50), ratio(fp99, dp99));
        line("function duration only (hand-out to answer, Lambda's billed) p50 %s   p99 %s   ratio p50 %.3f  p99 %.3f", ms(ip50),
                ms(ip99), ratio(ip50, dp50), ratio(ip99, dp99));
        line("the emulator's own share: a trivial function answers in p50 %s (measured above)", ms(floor.p50Nanos()));
        line("per warm request: DynamoDB calls %.2f %s, Zoom API calls %.2f, Zoom token requests %d", (double) dynamoCalls / REQUESTS,
                dynamo.counts(), (double) zoomCalls / REQUESTS, tokenRequests);
        long rss = function.residentMemoryKiB();
        line("resident memory after %d warm requests: %d MiB", WARM_UP + REQUESTS, rss / 1024);
        String of = " (" + build.name() + ")";
        summary("Warm POST /meetings, straight to the Zoom fake, interleaved with" + of, "p50 " + ms(dp50) + ", p99 " + ms(dp99),
                "50 ms added by the fake");
        summary("Warm POST /meetings through the function" + of + ", caller's view", "p50 " + ms(fp50) + ", p99 " + ms(fp99),
                String.format(Locale.ROOT, "ratio p50 %.3f, p99 %.3f (target ≤ 1.05)", ratio(fp50, dp50), ratio(fp99, dp99)));
        summary("… function duration only (Lambda's Duration)" + of, "p50 " + ms(ip50) + ", p99 " + ms(ip99),
                String.format(Locale.ROOT, "ratio p50 %.3f, p99 %.3f", ratio(ip50, dp50), ratio(ip99, dp99)));
        summary("DynamoDB calls per warm request" + of, String.format(Locale.ROOT, "%.2f", (double) dynamoCalls / REQUESTS), "target 0");
        summary("Function resident memory after warm-up" + of, rss / 1024 + " MiB", build.memoryMb() + " MB Lambda memory setting");
    }

    private void warmBatches(Build build, LambdaRuntimeEmulator runtime, FunctionProcess function, ZoomFake.Grant grant) throws Exception {
        section("Warm SQS batch of " + BATCH_SIZE + " creates (" + build.name() + ") vs " + BATCH_SIZE
                + " sequential creates straight to the fake, interleaved");
        int warmUpBatches = Math.max(3, BATCHES / 6);
        long[] throughFunction = new long[BATCHES];
        long[] straight = new long[BATCHES];
        for (int b = 0; b < warmUpBatches + BATCHES; b++) {
            if (b == warmUpBatches) {
                dynamo.resetCounts();
                zoom.resetCounters();
            }
            String batch = createBatch();
            long started = System.nanoTime();
            requireNoBatchFailures(runtime.invoke(batch, TIMEOUT));
            long answered = System.nanoTime();
            long directStarted = System.nanoTime();
            for (int i = 0; i < BATCH_SIZE; i++) {
                requireStatus(201, postToZoom(grant));
            }
            long directAnswered = System.nanoTime();
            if (b >= warmUpBatches) {
                throughFunction[b - warmUpBatches] = answered - started;
                straight[b - warmUpBatches] = directAnswered - directStarted;
            }
        }
        Map<String, Integer> calls = dynamo.counts();
        double perMessage = (double) dynamo.total() / (BATCHES * BATCH_SIZE);
        long dynamoCall = dynamoRoundTrip();
        Arrays.sort(throughFunction);
        Arrays.sort(straight);
        long fp50 = percentile(throughFunction, 0.50), fp99 = percentile(throughFunction, 0.99);
        long dp50 = percentile(straight, 0.50), dp99 = percentile(straight, 0.99);
        line("%d batches each way after %d to warm up (the function works through a batch in order, so the direct side is sequential too)",
                BATCHES, warmUpBatches);
        line("10 creates straight to Zoom      p50 %s   p99 %s", ms(dp50), ms(dp99));
        line("one batch through the function   p50 %s   p99 %s   ratio p50 %.3f  p99 %.3f", ms(fp50), ms(fp99), ratio(fp50, dp50),
                ratio(fp99, dp99));
        line("per message: DynamoDB calls %.2f %s (the request record: claimed before Zoom is called, completed after)", perMessage,
                perMessageCounts(calls, BATCHES * BATCH_SIZE));
        line("one DynamoDB call to moto_server through the proxy takes p50 %s here: the batch's DynamoDB calls alone account for %s",
                ms(dynamoCall), ms(Math.round(perMessage * BATCH_SIZE * dynamoCall)));
        long rss = function.residentMemoryKiB();
        line("resident memory after the batches: %d MiB", rss / 1024);
        String of = " (" + build.name() + ")";
        summary("Warm SQS batch of 10 creates, straight to the fake (10 in a row), interleaved with" + of, "p50 " + ms(dp50) + ", p99 "
                + ms(dp99), "");
        summary("Warm SQS batch of 10 creates through the function" + of, "p50 " + ms(fp50) + ", p99 " + ms(fp99),
                String.format(Locale.ROOT, "ratio p50 %.3f, p99 %.3f", ratio(fp50, dp50), ratio(fp99, dp99)));
        summary("One DynamoDB call to moto_server through the proxy", "p50 " + ms(dynamoCall), "the emulator's speed, not DynamoDB's");
        summary("DynamoDB calls per queued message" + of, String.format(Locale.ROOT, "%.2f %s", perMessage, perMessageCounts(calls, BATCHES * BATCH_SIZE)),
                "minimum 2 for at-most-once: claim the key, record the outcome");
    }

    /** p50 of a GetItem from here to moto_server through the counting proxy, as the function's calls go. */
    private long dynamoRoundTrip() {
        try (var client = MotoServer.clientOf(dynamo.endpoint())) {
            long[] nanos = new long[100];
            for (int i = -20; i < nanos.length; i++) {
                long started = System.nanoTime();
                client.getItem(r -> r.tableName(MotoServer.TOKEN_TABLE).key(Map.of("connectionId", AttributeValue.fromS("default"))));
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - started;
                }
            }
            Arrays.sort(nanos);
            return percentile(nanos, 0.50);
        }
    }

    /** DynamoDB calls of a refresh on a warm instance; the access tokens issued now expire (for the function) in 3 s. */
    private void refreshes(LambdaRuntimeEmulator runtime) throws InterruptedException {
        section("Token refresh on a warm instance (DynamoDB calls per refresh)");
        zoom.accessTokenLifetime(SHORT_TOKEN_LIFETIME);
        ZoomFake.Grant grant = zoom.authorize();
        String connection = "bench-refresh";
        table.seed(connection, grant);
        String event = HttpApiEvents.request("POST", "/meetings",
                Map.of("content-type", "application/json", "x-zoom-connection", connection), meeting);
        dynamo.resetCounts();
        requireStatus(201, invoke(runtime, event));
        line("first use of a connection by an instance: %s", dynamo.counts());
        Map<String, Integer> total = new TreeMap<>();
        int refreshes = 0;
        for (int expiry = 0; expiry < EXPIRIES; expiry++) {
            Thread.sleep(UNTIL_SHORT_TOKEN_EXPIRES.toMillis());
            dynamo.resetCounts();
            int before = zoom.refreshCount(grant.chainId());
            requireStatus(201, invoke(runtime, event));
            refreshes += zoom.refreshCount(grant.chainId()) - before;
            dynamo.counts().forEach((operation, count) -> total.merge(operation, count, Integer::sum));
        }
        requireChainIntact(connection, grant);
        int calls = total.values().stream().mapToInt(Integer::intValue).sum();
        line("%d expiries: %d Zoom refreshes; DynamoDB calls %s = %.2f per refresh", EXPIRIES, refreshes, total,
                (double) calls / Math.max(1, refreshes));
        line("minimum: 2 writes (take the lease, store the new pair conditionally); no read, the instance holds the item");
        summary("DynamoDB calls per refresh (warm instance)", String.format(Locale.ROOT, "%.2f %s", (double) calls / Math.max(1, refreshes),
                perMessageCounts(total, Math.max(1, refreshes))), "minimum 2 writes: lease + store, 0 reads");
    }

    // ---- several instances racing on one expiry ---------------------------------------------------------------

    private void racingInstances(Build build) throws Exception {
        section(RACING_PROCESSES + " function processes racing: " + RACING_REQUESTS + " requests at once on an expired token");
        zoom.accessTokenLifetime(SHORT_TOKEN_LIFETIME);
        String connection = "bench-race";
        ZoomFake.Grant grant = zoom.authorize();
        List<FunctionProcess> functions = new ArrayList<>();
        try (LambdaRuntimeEmulator runtime = LambdaRuntimeEmulator.start()) {
            for (int i = 0; i < RACING_PROCESSES; i++) {
                functions.add(startFunction(build, runtime, functionEnvironment(build)));
            }
            runtime.awaitPollers(RACING_PROCESSES, TIMEOUT);
            table.seed(connection, grant);
            String event = HttpApiEvents.request("POST", "/meetings",
                    Map.of("content-type", "application/json", "x-zoom-connection", connection), meeting);
            invokeAtOnce(runtime, event, RACING_REQUESTS); // every process reads the item once
            List<Integer> perExpiry = new ArrayList<>();
            Map<String, Integer> calls = new TreeMap<>();
            for (int expiry = 0; expiry < EXPIRIES; expiry++) {
                Thread.sleep(UNTIL_SHORT_TOKEN_EXPIRES.toMillis());
                dynamo.resetCounts();
                int before = zoom.refreshCount(grant.chainId());
                invokeAtOnce(runtime, event, RACING_REQUESTS);
                perExpiry.add(zoom.refreshCount(grant.chainId()) - before);
                dynamo.counts().forEach((operation, count) -> calls.merge(operation, count, Integer::sum));
            }
            requireChainIntact(connection, grant);
            boolean exactlyOnce = perExpiry.stream().allMatch(n -> n == 1);
            line("Zoom refreshes per expiry: %s (%s); DynamoDB calls per expiry, all processes: %s", perExpiry,
                    exactlyOnce ? "exactly 1 each time" : "NOT exactly 1", perMessageCounts(calls, EXPIRIES));
            line("the refresh token in the table is Zoom's current one: the chain is intact");
            summary("Zoom refreshes per expiry, " + RACING_PROCESSES + " processes racing", perExpiry.toString(), "target exactly 1 each");
        } finally {
            functions.forEach(FunctionProcess::close);
        }
    }

    private static void invokeAtOnce(LambdaRuntimeEmulator runtime, String event, int count) throws Exception {
        List<CompletableFuture<LambdaRuntimeEmulator.Result>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(runtime.submit(event, TIMEOUT));
        }
        for (CompletableFuture<LambdaRuntimeEmulator.Result> result : results) {
            requireStatus(201, HttpApiEvents.parseResponse(result.get().body()));
        }
    }

    // ---- cold starts ------------------------------------------------------------------------------------------

    /** Process start to the first answer; {@code firstInvocation} is the part after the runtime handed out the event. */
    private record ColdStart(long totalNanos, long firstInvocationNanos) {
        long initNanos() {
            return totalNanos - firstInvocationNanos;
        }
    }

    /** What is started cold, with which first event, and what its answer must be. */
    private record ColdSubject(String name, Build build, Map<String, String> env, EventSource event, Consumer<LambdaRuntimeEmulator.Result> check,
            List<ColdStart> starts) {
        ColdStart median() {
            List<ColdStart> sorted = starts.stream().sorted((x, y) -> Long.compare(x.totalNanos(), y.totalNanos())).toList();
            return sorted.get(sorted.size() / 2);
        }
    }

    @FunctionalInterface
    private interface EventSource {
        String next() throws IOException;
    }

    private void coldStarts(Build jvmBaseline, Build jvmFunction, Build nativeBaseline, Build nativeFunction, Build nativeReference)
            throws Exception {
        section("Cold starts: process start to first answered invocation, " + COLD_STARTS + " of each, interleaved");
        zoom.accessTokenLifetime(Duration.ofSeconds(3599));
        table.seed("default", zoom.authorize());
        String httpEvent = HttpApiEvents.request("POST", "/meetings", Map.of("content-type", "application/json"), meeting);
        String helloEvent = HttpApiEvents.request("GET", "/hello");
        Consumer<LambdaRuntimeEmulator.Result> hello = result -> requireStatus(200, HttpApiEvents.parseResponse(result.body()));
        Consumer<LambdaRuntimeEmulator.Result> created = result -> requireStatus(201, HttpApiEvents.parseResponse(result.body()));
        // Per build: its baseline (if built), POST /meetings, an SQS batch; JVM first, then native, then the native reference.
        List<List<ColdSubject>> builds = new ArrayList<>();
        for (Build[] pair : new Build[][] {{jvmBaseline, jvmFunction}, {nativeBaseline, nativeFunction}, {null, nativeReference}}) {
            if (pair[1] == null) {
                continue;
            }
            List<ColdSubject> subjects = new ArrayList<>();
            if (pair[0] != null) {
                subjects.add(new ColdSubject("baseline, GET /hello", pair[0], baselineEnvironment(pair[0]), () -> helloEvent, hello, new ArrayList<>()));
            }
            subjects.add(new ColdSubject("scheduler, POST /meetings", pair[1], functionEnvironment(pair[1]), () -> httpEvent, created, new ArrayList<>()));
            subjects.add(new ColdSubject("scheduler, SQS batch of 10 creates", pair[1], functionEnvironment(pair[1]), this::createBatch,
                    Benchmark::requireNoBatchFailures, new ArrayList<>()));
            builds.add(subjects);
        }
        for (int i = 0; i < COLD_STARTS; i++) {
            for (List<ColdSubject> subjects : builds) {
                for (ColdSubject subject : subjects) {
                    subject.starts().add(coldStart(subject.build(), subject.env(), subject.event().next(), subject.check()));
                }
            }
        }
        line("init: until the runtime polled and took the event (the event is queued before the process starts); then the first invocation");
        for (List<ColdSubject> subjects : builds) {
            ColdSubject baseline = subjects.get(0).name().startsWith("baseline") ? subjects.get(0) : null;
            for (ColdSubject subject : subjects) {
                ColdStart median = subject.median();
                line("%-10s %-34s median total %s = init %s + first invocation %s   (all: %s)", subject.build().name(), subject.name(),
                        ms(median.totalNanos()), ms(median.initNanos()), ms(median.firstInvocationNanos()), totals(subject.starts()));
                String note = "median of " + COLD_STARTS;
                if (baseline != null && subject != baseline) {
                    ColdStart base = baseline.median();
                    note = String.format(Locale.ROOT, "ratio to the %s baseline %.2f, init alone %.2f%s", subject.build().name(),
                            ratio(median.totalNanos(), base.totalNanos()), ratio(median.initNanos(), base.initNanos()),
                            subject.name().contains("POST") ? " (target ≤ 1.3)" : "");
                }
                if (subject.build() != jvmFunction && subject.build() != jvmBaseline) {
                    ColdSubject jvmTwin = builds.get(0).stream().filter(j -> j.name().equals(subject.name())).findFirst().orElseThrow();
                    note += String.format(Locale.ROOT, "; %.2f of the JVM's", ratio(median.totalNanos(), jvmTwin.median().totalNanos()));
                }
                if (nativeReference != null && subject.build() == nativeFunction) {
                    ColdStart reference = builds.get(builds.size() - 1).stream().filter(r -> r.name().equals(subject.name())).findFirst()
                            .orElseThrow().median();
                    note += String.format(Locale.ROOT, "; %.2f of the native reference's (init alone %.2f)",
                            ratio(median.totalNanos(), reference.totalNanos()), ratio(median.initNanos(), reference.initNanos()));
                }
                line("           %s", note);
                summary("Cold start, " + subject.name() + " (" + subject.build().name() + ")", ms(median.totalNanos()) + " (init "
                        + ms(median.initNanos()) + " + first invocation " + ms(median.firstInvocationNanos()) + ")", note);
            }
        }
        line("the first invocation includes the instance's first read of the connection and its Zoom calls (%d ms each at the fake)",
                ZOOM_LATENCY.toMillis());
        if (nativeFunction == null) {
            line("native executable: not measured in this run (build it with the native kit and pass -Dbench.native=.../function.zip)");
            summary("Cold start, native executable", "not measured", "run with -Dbench.native (docs/performance.md)");
        }
        line("SnapStart: not measurable locally (a Lambda service feature: the snapshot is taken and restored by Lambda)");
    }

    private ColdStart coldStart(Build build, Map<String, String> env, String event, Consumer<LambdaRuntimeEmulator.Result> check)
            throws Exception {
        try (LambdaRuntimeEmulator runtime = LambdaRuntimeEmulator.start()) {
            long started = System.nanoTime();
            FunctionProcess function = startFunction(build, runtime, env);
            try {
                LambdaRuntimeEmulator.Result result = runtime.submit(event, TIMEOUT).get();
                long answered = System.nanoTime();
                check.accept(result);
                return new ColdStart(answered - started, result.latency().toNanos());
            } finally {
                function.close();
            }
        }
    }

    private static String totals(List<ColdStart> starts) {
        return String.join(", ", starts.stream().map(s -> ms(s.totalNanos())).toList());
    }

    // ---- requests -------------------------------------------------------------------------------------------

    private HttpApiEvents.Response postToZoom(ZoomFake.Grant grant) throws IOException, InterruptedException {
        HttpResponse<String> answer = direct.send(HttpRequest.newBuilder(URI.create(zoom.apiUrl() + "/users/me/meetings"))
                .header("Authorization", "Bearer " + grant.accessToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(meeting, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        return new HttpApiEvents.Response(answer.statusCode(), Map.of(), answer.body());
    }

    /** Ten create requests of the default connection, each with a key of its own (a new meeting each). */
    private String createBatch() throws IOException {
        JsonNode meetingFields = JSON.readTree(meeting);
        List<SqsEvents.Message> messages = new ArrayList<>();
        long batch = ++batchSequence;
        for (int i = 0; i < BATCH_SIZE; i++) {
            String key = "bench-" + UUID.randomUUID() + "-" + batch + "-" + i;
            String body = JSON.createObjectNode().put("action", "create").put("idempotencyKey", key).set("meeting", meetingFields).toString();
            messages.add(new SqsEvents.Message(UUID.randomUUID().toString(), body));
        }
        return SqsEvents.batch(messages);
    }

    private static HttpApiEvents.Response invoke(LambdaRuntimeEmulator runtime, String event) {
        return HttpApiEvents.parseResponse(runtime.invoke(event, TIMEOUT).body());
    }

    private static void requireStatus(int expected, HttpApiEvents.Response response) {
        if (response.statusCode() != expected) {
            throw new IllegalStateException("expected " + expected + ", got " + response.statusCode() + ": " + response.body());
        }
    }

    private static void requireNoBatchFailures(LambdaRuntimeEmulator.Result result) {
        try {
            JsonNode failures = JSON.readTree(result.body()).get("batchItemFailures");
            if (result.error() || failures == null || failures.size() != 0) {
                throw new IllegalStateException("the batch did not succeed: " + result.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("the batch answer is not JSON: " + result.body(), e);
        }
    }

    private void requireChainIntact(String connection, ZoomFake.Grant grant) {
        if (!zoom.currentRefreshToken(grant.chainId()).equals(table.string(connection, "refreshToken"))) {
            throw new IllegalStateException("the table does not hold Zoom's current refresh token of " + connection);
        }
    }

    // ---- figures --------------------------------------------------------------------------------------------

    /** Nearest rank. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    static double ratio(long value, long reference) {
        return (double) value / reference;
    }

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    private static String perMessageCounts(Map<String, Integer> counts, int per) {
        Map<String, String> each = new TreeMap<>();
        counts.forEach((operation, count) -> each.put(operation, String.format(Locale.ROOT, "%.2f", (double) count / per)));
        return each.toString();
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }

    private static void line(String format, Object... args) {
        System.out.println("   " + String.format(Locale.ROOT, format, args));
    }

    private void summary(String what, String figure, String note) {
        summary.add(new String[] {what, figure, note});
    }

    /** The results as the Markdown table of docs/performance.md. */
    private void printSummary() {
        section("Summary (Markdown, for docs/performance.md)");
        System.out.println("| what | figure | target / note |");
        System.out.println("| --- | --- | --- |");
        summary.forEach(row -> System.out.println("| " + String.join(" | ", row) + " |"));
    }
}
