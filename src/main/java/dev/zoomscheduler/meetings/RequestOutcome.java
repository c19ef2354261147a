package dev.zoomscheduler.meetings;

import java.math.BigInteger;
import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import dev.zoomscheduler.problems.Problem;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The answer of {@code GET /requests/{idempotencyKey}}: what became of a request. What does not apply to it is left out.
 *
 * @param status {@link #IN_DOUBT} and {@link #ABANDONED} for an attempt that ended without an outcome, otherwise the record's
 *        own status
 */
@RegisterForReflection
@Schema(description = "What became of a request with an idempotency key.")
public record RequestOutcome(
        @Schema(required = true) String idempotencyKey,
        @Schema(required = true, enumeration = { "in_progress", IN_DOUBT, ABANDONED, "completed", "failed" },
                description = "in_doubt: the last attempt ended without knowing what Zoom did, and nothing is done for the key until"
                        + " that can have landed (IDEMPOTENCY_IN_DOUBT_SECONDS); abandoned: that time is over, or the last attempt"
                        + " changed nothing; a retry takes over") String status,
        @Schema(required = true) String operation,
        @Schema(required = true) String connectionId,
        @Schema(required = true, description = "when the first attempt began") Instant startedAt,
        @Schema(required = true, description = "how many attempts began") int attempts,
        @JsonInclude(Include.NON_NULL) @Schema(description = "the one occurrence of a recurring meeting the request acted on, if any")
        String occurrenceId,
        @JsonInclude(Include.NON_NULL) @Schema(description = "when the latest attempt began, if more than one did") Instant lastAttemptAt,
        @JsonInclude(Include.NON_NULL) Instant completedAt,
        @JsonInclude(Include.NON_NULL) MeetingSummary meeting,
        @JsonInclude(Include.NON_NULL) @Schema(enumeration = { "updated", "deleted" },
                description = "what Zoom's webhooks said of the meeting since") String meetingState,
        @JsonInclude(Include.NON_NULL) Instant meetingEventAt,
        @JsonInclude(Include.NON_NULL) Problem error) {

    /** The last attempt ended without knowing what Zoom did; nothing is done for the key until that can have landed. */
    public static final String IN_DOUBT = "in_doubt";
    /** The last attempt ended without an outcome, and whatever it did has had time to land: the next attempt takes over. */
    public static final String ABANDONED = "abandoned";

    /** The meeting, its fields copied as Zoom's answer has them (the schema says what Zoom sends), or only the id the request named. */
    @RegisterForReflection
    @JsonInclude(Include.NON_NULL)
    @Schema(description = "The meeting the request made or acted on: its id, with join_url and start_time where Zoom answered them.")
    public record MeetingSummary(
            @Schema(implementation = BigInteger.class) JsonNode id,
            @JsonProperty("join_url") @Schema(implementation = String.class) JsonNode joinUrl,
            @JsonProperty("start_time") @Schema(implementation = String.class) JsonNode startTime) {
    }
}
