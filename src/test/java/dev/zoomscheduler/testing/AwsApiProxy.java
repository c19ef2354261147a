package dev.zoomscheduler.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP proxy in front of moto_server for AWS's JSON APIs (DynamoDB, EventBridge, Secrets Manager): it counts the
 * operations passing through it (by {@code X-Amz-Target}) and can answer some of them with the service's own errors, slow
 * them down or lose their answers, to prove what the function does under faults.
 *
 * <p>It also forwards one operation at a time. DynamoDB evaluates a condition and applies its write atomically; moto_server
 * does not: under concurrent requests two conditional writes can both pass a condition only one should (measured: 11 of
 * 150 rounds of 16 concurrent {@code attribute_not_exists} updates had several winners). Serialising restores
 * DynamoDB's guarantee, which the token protocol relies on.
 */
public final class AwsApiProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "transfer-encoding", "expect",
            "upgrade", "keep-alive");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(daemon());
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI target;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final CountedFaults<Fault> faults = new CountedFaults<>();
    /** moto_server gets one request at a time: its conditional writes are then atomic, as DynamoDB's are. */
    private final Object emulator = new Object();

    private AwsApiProxy(String targetEndpoint) throws IOException {
        this.target = URI.create(targetEndpoint);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::forward);
        server.start();
    }

    public static AwsApiProxy start(String targetEndpoint) {
        try {
            return new AwsApiProxy(targetEndpoint);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Operations seen so far, such as {@code GetItem}, by name. */
    public int count(String operation) {
        AtomicInteger count = counts.get(operation);
        return count == null ? 0 : count.get();
    }

    public int total() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public Map<String, Integer> counts() {
        Map<String, Integer> snapshot = new java.util.TreeMap<>();
        counts.forEach((operation, count) -> snapshot.put(operation, count.get()));
        return snapshot;
    }

    public void resetCounts() {
        counts.clear();
    }

    /** The next {@code times} calls of {@code operation} get the service's error {@code errorType} (e.g. ProvisionedThroughputExceededException). */
    public void failNext(String operation, int times, int status, String errorType) {
        failNextMatching(operation, "", times, status, errorType);
    }

    /** As {@link #failNext}, for calls whose request body contains {@code bodyContains} (one step of a protocol). */
    public void failNextMatching(String operation, String bodyContains, int times, int status, String errorType) {
        faults.add(new Fault(operation, bodyContains, status, errorType, Duration.ZERO, false, ""), times);
    }

    /**
     * The next {@code times} transactions whose request contains {@code bodyContains} are cancelled by DynamoDB with these
     * cancellation reasons, one per item ({@code TransactionConflict}, {@code ThrottlingError}, {@code None}, ...).
     */
    public void cancelNextTransaction(String bodyContains, int times, String... reasonCodes) {
        StringBuilder reasons = new StringBuilder();
        for (String code : reasonCodes) {
            reasons.append(reasons.length() == 0 ? "" : ",").append("{\"Code\":\"").append(code).append("\"}");
        }
        faults.add(new Fault("TransactWriteItems", bodyContains, 400, "TransactionCanceledException",
                Duration.ZERO, false, ",\"CancellationReasons\":[" + reasons + "]"), times);
    }

    /** The next {@code times} matching calls are carried out, but their answer is lost: the connection drops instead. */
    public void loseAnswerNextMatching(String operation, String bodyContains, int times) {
        faults.add(new Fault(operation, bodyContains, 0, null, Duration.ZERO, true, ""), times);
    }

    /** The next {@code times} calls of {@code operation} are held back {@code delay} before they are forwarded. */
    public void delayNext(String operation, int times, Duration delay) {
        faults.add(new Fault(operation, "", 0, null, delay, false, ""), times);
    }

    public void clearFaults() {
        faults.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String amzTarget = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = amzTarget == null ? "unknown" : amzTarget.substring(amzTarget.indexOf('.') + 1);
            counts.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
            Fault fault = takeFault(operation, new String(body, StandardCharsets.UTF_8));
            if (fault != null && fault.errorType() != null) {
                byte[] error = ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + fault.errorType()
                        + "\",\"message\":\"Injected by the test proxy\"" + fault.moreOfTheError() + "}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
                exchange.getResponseHeaders().set("x-amzn-ErrorType", fault.errorType());
                exchange.sendResponseHeaders(fault.status(), error.length);
                exchange.getResponseBody().write(error);
                return;
            }
            if (fault != null) {
                Thread.sleep(fault.delay().toMillis());
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response;
            synchronized (emulator) {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            }
            if (fault != null && fault.loseAnswer()) {
                return; // closing the exchange before any answer drops the connection
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Fault takeFault(String operation, String body) {
        return faults.take(fault -> fault.operation().equals(operation) && body.contains(fault.bodyContains()));
    }

    /** @param moreOfTheError fields added to the error's JSON body (after a comma), or "" */
    private record Fault(String operation, String bodyContains, int status, String errorType, Duration delay,
            boolean loseAnswer, String moreOfTheError) {
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return runnable -> {
            Thread thread = new Thread(runnable, "aws-api-proxy");
            thread.setDaemon(true);
            return thread;
        };
    }
}
