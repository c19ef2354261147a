package dev.zoomscheduler.zoom;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.observability.Metrics;
import dev.zoomscheduler.problems.Finality;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.time.Backoff;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Sends one call to Zoom's REST API with a connection's access token, within the invocation's deadline:
 * <ul>
 * <li>Each attempt waits at most the configured timeout, and never past the deadline less a margin to answer.</li>
 * <li>A 401 (code 124) for a token believed valid: one replacement token ({@link AccessTokens}), one more attempt.</li>
 * <li>Zoom's per-second rate limit (429) is retried for every call, since Zoom did nothing: after its Retry-After, or
 * a jittered backoff, if that is short and still fits before the deadline. The daily meeting create/update limit is never retried.</li>
 * <li>Zoom's 5xx, timeouts and dropped connections are retried only for {@link Retries#SAFE} calls (GET, PATCH,
 * DELETE): a create whose outcome is unknown is retried only through the idempotency rules, never blindly, and a create
 * is not sent at all unless its whole timeout fits before the deadline (an answer cut short would leave it unknown). A DELETE
 * whose retry gets 404 after such a failure has succeeded: 204; one whose retry is refused (429) still has an unknown
 * outcome: the earlier failure is answered, so that the idempotency rules look before the next attempt.</li>
 * </ul>
 * At most {@code ZOOM_MAX_ATTEMPTS} attempts in all; any other error becomes a problem.
 */
@ApplicationScoped
public class ZoomCaller {

    private static final int INVALID_ACCESS_TOKEN = 124;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final String RATE_LIMIT_TYPE = "X-RateLimit-Type";

    /** Which failures a call may be repeated after. */
    public enum Retries {
        /** Repeating it changes nothing more: any passing failure is retried. */
        SAFE,
        /** Repeating it could do it twice: only answers that say Zoom did nothing (429) are retried. */
        ONLY_IF_REFUSED,
        /** A delete: as {@link #SAFE}, and a 404 after a try whose outcome is unknown means that try deleted it. */
        DELETE
    }

    private final AccessTokens tokens;
    private final ObjectMapper json;
    private final Clock clock;
    private final ZoomCallSettings settings;
    private final Metrics metrics;
    private final Backoff backoff;

    public ZoomCaller(AccessTokens tokens, ObjectMapper json, Clock clock, ZoomCallSettings settings, Metrics metrics, Backoff backoff) {
        this.tokens = tokens;
        this.backoff = backoff;
        this.json = json;
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
    }

    /**
     * @param operation names the call in metrics ({@code create}, {@code get}, ...)
     * @param call makes the request with the given {@code Authorization} header value
     */
    public ZoomReply call(String connectionId, String operation, Retries retries, Instant deadline, Function<String, Uni<Response>> call) {
        String accessToken = beforeSending(() -> tokens.accessToken(connectionId, deadline));
        boolean tokenReplaced = false;
        ProblemException unknownOutcome = null; // an earlier try's failure, after which Zoom may have acted
        for (int attempt = 1;; attempt++) {
            Answer answer;
            long started = System.nanoTime();
            try {
                answer = send(call, accessToken, deadline, retries);
            } catch (ProblemException unreachable) {
                metrics.count("ZoomFailures", "Operation", operation);
                if (retries != Retries.ONLY_IF_REFUSED && retry(attempt, backoff(attempt), deadline)) {
                    metrics.count("ZoomRetries", "Operation", operation);
                    unknownOutcome = unreachable;
                    continue;
                }
                throw unreachable;
            }
            metrics.millis("ZoomLatency", (System.nanoTime() - started) / 1_000_000, "Operation", operation);
            if (answer.status() == 401 && !tokenReplaced && (answer.code() == null || answer.code() == INVALID_ACCESS_TOKEN)) {
                String rejected = accessToken;
                accessToken = unknownOutcome == null ? beforeSending(() -> tokens.replaceRejected(connectionId, rejected, deadline))
                        : tokens.replaceRejected(connectionId, rejected, deadline);
                tokenReplaced = true;
                attempt--; // a refused token is not one of Zoom's faults
                continue;
            }
            if (answer.status() < 400) {
                return new ZoomReply(answer.status(), answer.body());
            }
            if (answer.status() == 404 && retries == Retries.DELETE && unknownOutcome != null) {
                return new ZoomReply(204, "");
            }
            ProblemException failure = ZoomFailures.fromStatus("Zoom", answer.status(), answer.retryAfter(), answer.rateLimitType(),
                    answer.code(), answer.message());
            if (answer.status() == 429) {
                metrics.count("ZoomRateLimited", "Operation", operation);
            } else if (answer.status() >= 500) {
                metrics.count("ZoomFailures", "Operation", operation);
            }
            boolean passing = failure.type() == ProblemType.ZOOM_RATE_LIMITED
                    || (answer.status() >= 500 && retries != Retries.ONLY_IF_REFUSED);
            if (!passing || !retry(attempt, failure.type() == ProblemType.ZOOM_RATE_LIMITED ? failure.retryAfter() : backoff(attempt), deadline)) {
                // A refused retry (429) says nothing of whether an earlier try deleted it: that stays unknown.
                boolean stillUnknown = retries == Retries.DELETE && unknownOutcome != null && Finality.of(failure) == Finality.PASSING;
                throw stillUnknown ? unknownOutcome : failure;
            }
            metrics.count("ZoomRetries", "Operation", operation);
            if (answer.status() >= 500) {
                unknownOutcome = failure;
            }
        }
    }

    /**
     * A step before the request goes to Zoom (getting its access token): whatever fails there, Zoom was not asked anything.
     * The token store's own failures become the problem they are answered as.
     */
    private static String beforeSending(Supplier<String> step) {
        try {
            return step.get();
        } catch (ProblemException e) {
            throw e.beforeZoom();
        } catch (SdkException e) {
            throw ProblemException.storeUnavailable().beforeZoom();
        }
    }

    /** Waits {@code wait} and says yes, if another attempt is allowed and can still be answered before the deadline. */
    private boolean retry(int attempt, Duration wait, Instant deadline) {
        if (attempt >= settings.maxAttempts() || wait.compareTo(settings.longestRetryWait()) > 0) {
            return false;
        }
        Instant lastAnswerBy = deadline.minus(settings.answerMargin());
        // The next attempt needs its wait plus a little time to be answered: not worth starting otherwise.
        if (clock.instant().plus(wait).plus(FIRST_BACKOFF).isAfter(lastAnswerBy)) {
            return false;
        }
        if (!backoff.sleep(wait)) {
            throw new ProblemException(ProblemType.ZOOM_UNAVAILABLE, "Interrupted while waiting to call Zoom again.");
        }
        return true;
    }

    /** Exponential with jitter: 200 ms, 400 ms, ... */
    private Duration backoff(int attempt) {
        return Duration.ofMillis(backoff.halfJittered(FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 6)));
    }

    private Answer send(Function<String, Uni<Response>> call, String accessToken, Instant deadline, Retries retries) {
        Duration left = Duration.between(clock.instant(), deadline.minus(settings.answerMargin()));
        if (left.isNegative() || left.isZero()) {
            throw new ProblemException(ProblemType.ZOOM_TIMEOUT, 504, "No time was left to call Zoom before the invocation's deadline.",
                    null, null, Duration.ofSeconds(1));
        }
        if (retries == Retries.ONLY_IF_REFUSED && left.compareTo(settings.timeout()) < 0) {
            // Zoom may carry it out after we stopped listening: then nobody could tell whether it did. Not sent; nothing happened.
            throw new ProblemException(ProblemType.INVOCATION_TIME_SHORT, 503, "Too little of this invocation's time is left to hear"
                    + " Zoom's answer to this request; nothing was sent. Try again.", null, null, Duration.ofSeconds(1));
        }
        Duration timeout = left.compareTo(settings.timeout()) < 0 ? left : settings.timeout();
        Response response;
        try {
            response = call.apply("Bearer " + accessToken).await().atMost(timeout);
        } catch (TimeoutException e) {
            throw ZoomFailures.unreachable("Zoom", e);
        } catch (RuntimeException e) {
            throw ZoomFailures.unreachable("Zoom", e); // refused, reset or dropped connections
        }
        try (response) {
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            return Answer.of(response.getStatus(), body, response.getHeaderString(HttpHeaders.RETRY_AFTER),
                    response.getHeaderString(RATE_LIMIT_TYPE), json);
        } catch (RuntimeException e) {
            throw ZoomFailures.unreachable("Zoom", e);
        }
    }

    /** Zoom's answer before it is judged; error bodies are {@code {"code": ..., "message": ...}}. */
    private record Answer(int status, String body, String retryAfter, String rateLimitType, Integer code, String message) {

        /** A meeting's body holds its start_url, which carries the host's ZAK (a credential). */
        @Override
        public String toString() {
            return "Answer[status=" + status + ", code=" + code + "]";
        }

        static Answer of(int status, String body, String retryAfter, String rateLimitType, ObjectMapper json) {
            if (status < 400) {
                return new Answer(status, body, retryAfter, rateLimitType, null, null);
            }
            JsonNode error = errorBody(json, body);
            JsonNode code = error.path("code");
            JsonNode message = error.path("message");
            return new Answer(status, body, retryAfter, rateLimitType, code.canConvertToInt() ? code.intValue() : null,
                    message.isTextual() ? message.textValue() : null);
        }

        private static JsonNode errorBody(ObjectMapper json, String body) {
            try {
                return body.isEmpty() ? json.missingNode() : json.readTree(body);
            } catch (IOException e) {
                return json.missingNode(); // not JSON (a proxy's page, say): judged by its status alone
            }
        }
    }
}
