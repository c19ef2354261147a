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

    /** How the stand-in treats API Gateway's IAM authorisation. */
    public enum Signatures {
        /** Every request counts as signed (the local run: there is no AWS account to sign with). */
        ALL_TRUSTED,
        /**
         * As the routes of template.yaml say: a route that is not public answers API Gateway's own 403 unless the request
         * carries a SigV4 {@code Authorization} header (whose signature the stand-in does not verify); a public route's
         * event carries no authorizer.
         */
        AS_IN_TEMPLATE
    }

    /** Listens on 127.0.0.1:{@code port} ({@code 0} picks a free port), every request counted as signed. */
    public static LocalHttpApi start(int port, LambdaRuntimeEmulator emulator) {
        return start(port, emulator, Signatures.ALL_TRUSTED);
    }

    public static LocalHttpApi start(int port, LambdaRuntimeEmulator emulator, Signatures signatures) {
        Duration timeout = DEFAULT_TIMEOUT;
        Set<String> publicRoutes = signatures == Signatures.AS_IN_TEMPLATE ? TemplateRoutes.read().publicRoutes() : null;
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
            server.createContext("/", exchange -> handle(exchange, emulator, timeout, publicRoutes));
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

    /** @param publicRoutes the routes ("GET /path") that take unsigned requests, or null if every request counts as signed */
    private static void handle(HttpExchange exchange, LambdaRuntimeEmulator emulator, Duration timeout, Set<String> publicRoutes)
            throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String rawQuery = exchange.getRequestURI().getRawQuery();
            String pathAndQuery = exchange.getRequestURI().getRawPath() + (rawQuery == null ? "" : "?" + rawQuery);
            Map<String, List<String>> headers = exchange.getRequestHeaders();
            boolean publicRoute = publicRoutes != null && publicRoutes.contains(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            boolean signed = publicRoutes == null || authorization != null && authorization.startsWith("AWS4-HMAC-SHA256 ");
            if (!signed && !publicRoute) {
                write(exchange, gatewayError(403, "Forbidden")); // API Gateway's answer: the function is never invoked
                return;
            }
            String event = HttpApiEvents.fromHttp(exchange.getRequestMethod(), pathAndQuery, headers, body,
                    exchange.getRemoteAddress().getAddress().getHostAddress(), signed && !publicRoute);

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
