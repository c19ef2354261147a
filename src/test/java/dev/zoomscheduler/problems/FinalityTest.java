package dev.zoomscheduler.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.zoomscheduler.zoom.ZoomFailures;

/** Which failures are stored for an idempotency key, and which leave it retryable (docs/events-and-idempotency.md, "Idempotency"). */
class FinalityTest {

    @Test
    void onlyZoomsVerdictOnTheRequestIsFinal() {
        assertEquals(Finality.FINAL, of(400, null, 300, "Invalid field."));
        assertEquals(Finality.FINAL, of(404, null, 3001, "Meeting does not exist: 1."));
        assertEquals(Finality.FINAL, of(403, null, 200, "No permission."));
    }

    @Test
    void whatARetryCanChangeIsNot() {
        assertEquals(Finality.PASSING, of(401, null, 124, "Invalid access token."), "a refused fresh access token (answered 502)");
        assertEquals(Finality.PASSING, of(408, null, null, null));
        assertEquals(Finality.PASSING, of(429, "30", 429, "Too many requests."));
        assertEquals(Finality.PASSING, of(429, null, 429,
                "You have exceeded the daily rate limit (100) of Meeting Create/Update API requests"));
        assertEquals(Finality.PASSING, Finality.of(new ProblemException(ProblemType.TOKEN_REFRESH_BUSY, "busy")));
        assertEquals(Finality.PASSING, Finality.of(new ProblemException(ProblemType.REAUTHORIZATION_REQUIRED, "again")));
        assertTrue(Finality.PASSING.retryable());
    }

    @Test
    void zoomsFailuresToAnswerLeaveTheOutcomeUnknown() {
        for (int status : new int[] { 500, 502, 503, 504 }) {
            assertEquals(Finality.OUTCOME_UNKNOWN, of(status, null, null, null), "status " + status);
        }
        assertEquals(Finality.OUTCOME_UNKNOWN, Finality.of(ZoomFailures.unreachable("Zoom", new java.net.SocketTimeoutException())));
        assertTrue(Finality.OUTCOME_UNKNOWN.retryable());
    }

    @Test
    void badInputIsRefusedForGoodWithoutBeingStored() {
        assertEquals(Finality.REFUSED, Finality.of(ProblemException.invalidRequest("meeting.type", "Must be one of [1, 2, 3, 8].")));
        assertEquals(Finality.REFUSED, Finality.of(new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED, "reused")));
        assertEquals(Finality.REFUSED, Finality.of(new ProblemException(ProblemType.CONNECTION_NOT_FOUND, "none")));
        assertFalse(Finality.REFUSED.retryable());
        assertFalse(Finality.FINAL.retryable());
    }

    private static Finality of(int status, String retryAfter, Integer code, String message) {
        return Finality.of(ZoomFailures.fromStatus("Zoom", status, retryAfter, code, message));
    }
}
