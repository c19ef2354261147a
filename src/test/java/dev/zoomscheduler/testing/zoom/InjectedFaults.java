package dev.zoomscheduler.testing.zoom;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import dev.zoomscheduler.testing.CountedFaults;

/**
 * What a test makes Zoom do instead of answering normally: for the next few requests of a method and path, an answer of
 * its choosing (a 429, a 5xx), a dropped connection, a delay, an answer lost after the work was done, or an answer given
 * late; and a latency added to every answer.
 */
final class InjectedFaults {

    enum Kind {
        /** Answered with the fault's status, headers and body; Zoom does nothing. */
        ANSWER,
        /** The connection is closed before any answer; Zoom does nothing. */
        DROP,
        /** Held back the fault's delay, then carried out and answered. */
        DELAY,
        /** Carried out, then the connection is closed before the answer. */
        LOSE_ANSWER,
        /** Carried out at once, answered only after the fault's delay. */
        ANSWER_LATE
    }

    record Fault(String method, Pattern path, Kind kind, int status, Map<String, String> headers, String body,
            Duration delay) {

        Answer answer() {
            return new Answer(status, headers, body == null ? "" : body);
        }
    }

    private final CountedFaults<Fault> faults = new CountedFaults<>();
    private volatile Duration latency = Duration.ZERO;

    void answerNext(String method, String pathRegex, int times, int status, Map<String, String> headers, String body) {
        add(method, pathRegex, times, Kind.ANSWER, status, headers, body, Duration.ZERO);
    }

    void next(String method, String pathRegex, int times, Kind kind, Duration delay) {
        add(method, pathRegex, times, kind, 0, Map.of(), null, delay);
    }

    void clear() {
        faults.clear();
    }

    void latency(Duration latency) {
        this.latency = latency;
    }

    Duration latency() {
        return latency;
    }

    /** The fault that befalls this request, counted as used, or null. */
    Fault take(Request request) {
        return faults.take(fault -> fault.method().equals(request.method) && fault.path().matcher(request.path).matches());
    }

    private void add(String method, String pathRegex, int times, Kind kind, int status, Map<String, String> headers, String body,
            Duration delay) {
        faults.add(new Fault(method, Pattern.compile(pathRegex), kind, status, headers, body, delay), times);
    }
}
