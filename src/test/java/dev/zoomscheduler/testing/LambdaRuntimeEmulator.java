package dev.zoomscheduler.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small, in-process stand-in for the AWS Lambda Runtime API (the HTTP interface the managed runtime's
 * runtime interface client polls), so tests can run the packaged function exactly as Lambda runs it.
 *
 * <p>Implemented endpoints (what RIC 2.10.1 uses): {@code GET /2018-06-01/runtime/invocation/next} (long poll),
 * {@code POST .../invocation/{id}/response}, {@code POST .../invocation/{id}/error} and
 * {@code POST /2018-06-01/runtime/init/error}, and SnapStart's {@code GET /2018-06-01/runtime/restore/next} (answered
 * at once: the "restore" follows the snapshot hooks) and {@code POST .../restore/error}, which a function started with
 * {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start} calls. One or more runtime processes may poll the same emulator; each event
 * goes to exactly one of them.
 *
 * <p>Why a hand-written HTTP/1.1 loop instead of the JDK's HttpServer: a process that dies (or is killed) while
 * parked in {@code /next} must not swallow the next event, nor count as a poller. Only with the raw socket can the
 * emulator see that the poller has hung up and give the event to a live one instead.
 */
public final class LambdaRuntimeEmulator implements AutoCloseable {

    public static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:zoom-meeting-scheduler";

    private static final String PREFIX = "/2018-06-01/runtime/";
    /** How often a parked poller checks that its client is still there (only while no event is queued). */
    private static final long LIVENESS_CHECK_MS = 50;

    /**
     * The outcome of one invocation. {@code latency} is the function's own duration: from the moment the event was
     * handed to a runtime process until that process answered (like the Duration in Lambda's REPORT line).
     */
    public record Result(String requestId, boolean error, String body, Duration latency) {
    }

    /** Thrown by {@link #invoke} when the function does not answer in time. */
    public static final class InvocationTimeoutException extends RuntimeException {
        InvocationTimeoutException(String message) {
            super(message);
        }
    }

    private static final class Invocation {
        final String id = UUID.randomUUID().toString();
        final byte[] event;
        final Duration timeout;
        final CompletableFuture<Result> result = new CompletableFuture<>();
        volatile long handedOutNanos;

        Invocation(byte[] event, Duration timeout) {
            this.event = event;
            this.timeout = timeout;
        }
    }

    private record Request(String method, String path, Map<String, String> headers, byte[] body) {
    }

    private final ServerSocketChannel server;
    private final ExecutorService connections;
    private final LinkedBlockingDeque<Invocation> queue = new LinkedBlockingDeque<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final Set<SocketChannel> openSockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pollers = new AtomicInteger();
    private final Object pollersChanged = new Object();
    private volatile String initError;
    private final AtomicInteger restores = new AtomicInteger();
    private volatile boolean closed;

    private LambdaRuntimeEmulator(ServerSocketChannel server) {
        this.server = server;
        // One thread per connection: long polls from several processes must never wait for each other.
        AtomicInteger threadNo = new AtomicInteger();
        this.connections = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "lambda-runtime-api-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Thread acceptor = new Thread(this::acceptLoop, "lambda-runtime-api-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts the emulator on 127.0.0.1 and a free port. */
    public static LambdaRuntimeEmulator start() {
        try {
            return new LambdaRuntimeEmulator(ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value for AWS_LAMBDA_RUNTIME_API, e.g. {@code 127.0.0.1:41234}. */
    public String address() {
        return "127.0.0.1:" + server.socket().getLocalPort();
    }

    /** Sends one event and blocks until the function answers; the timeout counts from now. */
    public Result invoke(String eventJson, Duration timeout) {
        try {
            return submit(eventJson, timeout).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the function", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Queues one event for the next free poller. The future fails with {@link InvocationTimeoutException} if no
     * answer arrives within {@code timeout} from now (queueing time included). The deadline header the function sees
     * is "hand-out time + timeout", as in Lambda.
     */
    public CompletableFuture<Result> submit(String eventJson, Duration timeout) {
        if (closed) {
            throw new IllegalStateException("emulator is closed");
        }
        Invocation inv = new Invocation(eventJson.getBytes(StandardCharsets.UTF_8), timeout);
        // On timeout inv.result fails, so a still-queued event is dropped and a late answer is ignored.
        inv.result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, t) -> queue.remove(inv));
        CompletableFuture<Result> answer = inv.result.handle((r, t) -> {
            if (t == null) {
                return r;
            }
            Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause instanceof TimeoutException) {
                throw new InvocationTimeoutException("no answer from the function within " + timeout + " (request "
                        + inv.id + (inv.handedOutNanos == 0 ? ", never picked up" : ", picked up") + ", pollers now "
                        + pollers() + (initError != null ? ", init error: " + initError : "") + ")");
            }
            throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
        });
        queue.addLast(inv);
        return answer;
    }

    /** Body of {@code POST /runtime/init/error}, or null if the function never reported an init error. */
    public String initError() {
        return initError;
    }

    /** How many processes asked for {@code restore/next}: each did so after running its SnapStart beforeCheckpoint hooks. */
    public int restores() {
        return restores.get();
    }

    /** How many runtime processes are parked in {@code GET .../invocation/next} right now. */
    public int pollers() {
        return pollers.get();
    }

    /** Blocks until at least {@code n} processes are polling; fails fast if a function reports an init error. */
    public void awaitPollers(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (pollersChanged) {
            while (pollers.get() < n) {
                if (initError != null) {
                    throw new IllegalStateException("function failed to initialise: " + initError);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("only " + pollers.get() + " of " + n + " runtime processes polling after " + timeout);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(pollersChanged, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        openSockets.forEach(LambdaRuntimeEmulator::closeQuietly);
        connections.shutdownNow();
        IllegalStateException gone = new IllegalStateException("emulator closed");
        queue.forEach(inv -> inv.result.completeExceptionally(gone));
        queue.clear();
        inFlight.values().forEach(inv -> inv.result.completeExceptionally(gone));
    }

    // ---- HTTP plumbing -------------------------------------------------------------------------------------------

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel socket = server.accept();
                socket.socket().setTcpNoDelay(true);
                openSockets.add(socket);
                connections.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) {
                return; // closed while a connection was being accepted
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("[lambda-runtime-api] accept failed: " + e);
                }
            }
        }
    }

    /** Serves one keep-alive connection (curl in the RIC's JNI library and HttpURLConnection both reuse them). */
    private void serve(SocketChannel socket) {
        try (socket) {
            PushbackInputStream in = new PushbackInputStream(new BufferedInputStream(Channels.newInputStream(socket)));
            OutputStream out = Channels.newOutputStream(socket);
            Request request;
            while (!closed && (request = readRequest(in)) != null) {
                if (!handle(request, socket, in, out)) {
                    return;
                }
                if ("close".equalsIgnoreCase(request.headers().get("connection"))) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away; nothing to do
        } finally {
            openSockets.remove(socket);
        }
    }

    /** Returns false when the connection must be dropped. */
    private boolean handle(Request req, SocketChannel socket, PushbackInputStream in, OutputStream out) throws IOException {
        String path = req.path();
        if (req.method().equals("GET") && path.equals(PREFIX + "invocation/next")) {
            return next(socket, in, out);
        }
        if (req.method().equals("GET") && path.equals(PREFIX + "restore/next")) {
            restores.incrementAndGet();
            return respond(out, 200, "", Map.of());
        }
        if (req.method().equals("POST") && path.equals(PREFIX + "restore/error")) {
            initError = "restore error: " + new String(req.body(), StandardCharsets.UTF_8);
            System.err.println("[lambda-runtime-api] " + initError);
            return accepted(out);
        }
        if (req.method().equals("POST") && path.equals(PREFIX + "init/error")) {
            initError = new String(req.body(), StandardCharsets.UTF_8);
            System.err.println("[lambda-runtime-api] init error (" + req.headers().get("lambda-runtime-function-error-type") + "): " + initError);
            synchronized (pollersChanged) {
                pollersChanged.notifyAll(); // wake awaitPollers so it can fail fast
            }
            return accepted(out);
        }
        if (req.method().equals("POST") && path.startsWith(PREFIX + "invocation/")) {
            String rest = path.substring((PREFIX + "invocation/").length());
            int slash = rest.indexOf('/');
            String id = slash < 0 ? rest : rest.substring(0, slash);
            String kind = slash < 0 ? "" : rest.substring(slash + 1);
            Invocation inv = inFlight.remove(id);
            if (inv == null || !(kind.equals("response") || kind.equals("error"))) {
                return respond(out, 400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}", Map.of());
            }
            Duration latency = Duration.ofNanos(System.nanoTime() - inv.handedOutNanos);
            inv.result.complete(new Result(id, kind.equals("error"), new String(req.body(), StandardCharsets.UTF_8), latency));
            return accepted(out);
        }
        return respond(out, 404, "{\"errorMessage\":\"not found: " + req.method() + " " + path + "\"}", Map.of());
    }

    /** Long poll: hands the next queued event to this client, unless the client hangs up first. */
    private boolean next(SocketChannel socket, PushbackInputStream in, OutputStream out) throws IOException {
        pollersChanged(+1);
        Invocation inv = null;
        try {
            while (!closed) {
                inv = queue.pollFirst(LIVENESS_CHECK_MS, TimeUnit.MILLISECONDS);
                if (inv != null && inv.result.isDone()) {
                    inv = null; // timed out before anyone took it
                    continue;
                }
                if (clientGone(socket, in)) {
                    if (inv != null) {
                        queue.addFirst(inv); // a dead process must not swallow the event
                    }
                    return false;
                }
                if (inv != null) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            pollersChanged(-1);
        }
        if (inv == null) {
            return false;
        }
        inv.handedOutNanos = System.nanoTime();
        inFlight.put(inv.id, inv);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Lambda-Runtime-Aws-Request-Id", inv.id);
        headers.put("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + inv.timeout.toMillis()));
        headers.put("Lambda-Runtime-Invoked-Function-Arn", FUNCTION_ARN);
        headers.put("Lambda-Runtime-Trace-Id", traceId());
        try {
            return respond(out, 200, inv.event, headers);
        } catch (IOException e) {
            inFlight.remove(inv.id);
            inv.handedOutNanos = 0;
            queue.addFirst(inv);
            throw e;
        }
    }

    private void pollersChanged(int delta) {
        synchronized (pollersChanged) {
            pollers.addAndGet(delta);
            pollersChanged.notifyAll();
        }
    }

    /**
     * True if the peer closed the connection. Peeks without blocking: a parked poller never sends anything, so EOF
     * means it is gone and any byte (put back for the request reader) means it is alive.
     */
    private static boolean clientGone(SocketChannel socket, PushbackInputStream in) {
        try {
            if (in.available() > 0) {
                return false;
            }
            ByteBuffer one = ByteBuffer.allocate(1);
            socket.configureBlocking(false);
            int n;
            try {
                n = socket.read(one);
            } finally {
                socket.configureBlocking(true);
            }
            if (n > 0) {
                in.unread(one.get(0));
            }
            return n < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private static String traceId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        byte[] root = new byte[12];
        byte[] parent = new byte[8];
        r.nextBytes(root);
        r.nextBytes(parent);
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + hex.formatHex(root)
                + ";Parent=" + hex.formatHex(parent) + ";Sampled=0";
    }

    private static boolean accepted(OutputStream out) throws IOException {
        return respond(out, 202, "{\"status\":\"OK\"}", Map.of());
    }

    private static boolean respond(OutputStream out, int status, String body, Map<String, String> headers) throws IOException {
        return respond(out, status, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static boolean respond(OutputStream out, int status, byte[] body, Map<String, String> headers) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        return true;
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 202 -> "Accepted";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            default -> "Status";
        };
    }

    /** Reads one request (request line, headers, Content-Length body); null at a clean end of stream. */
    private static Request readRequest(InputStream in) throws IOException {
        String requestLine = readLine(in);
        if (requestLine == null) {
            return null;
        }
        if (requestLine.isEmpty()) {
            requestLine = readLine(in); // tolerate a stray CRLF between requests
            if (requestLine == null) {
                return null;
            }
        }
        String[] parts = requestLine.split(" ");
        if (parts.length < 2) {
            throw new IOException("bad request line: " + requestLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = readChunked(in);
        } else {
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            body = in.readNBytes(length);
            if (body.length < length) {
                throw new IOException("truncated body");
            }
        }
        String path = parts[1];
        int query = path.indexOf('?');
        return new Request(parts[0], query < 0 ? path : path.substring(0, query), headers, body);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new IOException("truncated chunked body");
            }
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
                    // trailers are ignored
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void closeQuietly(SocketChannel socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
