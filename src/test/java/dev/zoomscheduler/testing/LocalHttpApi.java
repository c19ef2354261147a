package dev.zoomscheduler.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny local stand-in for API Gateway (what {@code sam local start-api} does): every HTTP request becomes an HTTP
 * API payload-2.0 event, goes through the {@link LambdaRuntimeEmulator} to whichever function process polls it, and
 * the function's answer is written back as an HTTP response.
 *
 * <p>Like API Gateway: an invocation error gives 502 {@code {"message":"Internal Server Error"}}, no answer within
 * the integration timeout gives 503 {@code {"message":"Service Unavailable"}}.
 */
public final class LocalHttpApi implements AutoCloseable {

    /** API Gateway's maximum integration timeout for HTTP APIs. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Hop-by-hop or length headers that the HTTP server sets itself. */
    private static final Set<String> SKIPPED = Set.of("content-length", "transfer-encoding", "connection", "keep-alive", "date");

    private final HttpServer server;
    private final ExecutorService executor;

    private LocalHttpApi(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Listens on 127.0.0.1:{@code port} ({@code 0} picks a free port). */
    public static LocalHttpApi start(int port, LambdaRuntimeEmulator emulator) {
        return start(port, emulator, DEFAULT_TIMEOUT);
    }

    public static LocalHttpApi start(int port, LambdaRuntimeEmulator emulator, Duration timeout) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            AtomicInteger threadNo = new AtomicInteger();
            // Several requests may wait for the function at once (one per polling process, the rest queue).
            ExecutorService executor = Executors.newFixedThreadPool(16, r -> {
                Thread t = new Thread(r, "local-http-api-" + threadNo.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.createContext("/", exchange -> handle(exchange, emulator, timeout));
            server.start();
            return new LocalHttpApi(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** e.g. {@code http://127.0.0.1:41235} (no trailing slash). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void handle(HttpExchange exchange, LambdaRuntimeEmulator emulator, Duration timeout) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String rawQuery = exchange.getRequestURI().getRawQuery();
            String pathAndQuery = exchange.getRequestURI().getRawPath() + (rawQuery == null ? "" : "?" + rawQuery);
            Map<String, List<String>> headers = exchange.getRequestHeaders();
            String event = HttpApiEvents.fromHttp(exchange.getRequestMethod(), pathAndQuery, headers, body,
                    exchange.getRemoteAddress().getAddress().getHostAddress());

            HttpApiEvents.Response response;
            try {
                LambdaRuntimeEmulator.Result result = emulator.invoke(event, timeout);
                response = result.error()
                        ? gatewayError(502, "Internal Server Error")
                        : HttpApiEvents.parseResponse(result.body());
            } catch (LambdaRuntimeEmulator.InvocationTimeoutException e) {
                response = gatewayError(503, "Service Unavailable");
            } catch (IllegalArgumentException e) {
                response = gatewayError(502, "Internal Server Error"); // the function's answer was not JSON
            }
            write(exchange, response);
        }
    }

    private static HttpApiEvents.Response gatewayError(int status, String message) {
        return new HttpApiEvents.Response(status, Map.of("content-type", "application/json"),
                "{\"message\":\"" + message + "\"}");
    }

    private static void write(HttpExchange exchange, HttpApiEvents.Response response) throws IOException {
        response.headers().forEach((name, value) -> {
            if (!SKIPPED.contains(name)) {
                exchange.getResponseHeaders().add(name, value);
            }
        });
        response.cookies().forEach(c -> exchange.getResponseHeaders().add("set-cookie", c));
        byte[] body = response.bodyBytes();
        boolean noBody = exchange.getRequestMethod().equalsIgnoreCase("HEAD")
                || response.statusCode() == 204 || response.statusCode() == 304 || body.length == 0;
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** For diagnostics. */
    @Override
    public String toString() {
        return "LocalHttpApi[" + url() + "]";
    }
}
