package dev.zoomscheduler.meetings;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.zoomscheduler.idempotency.Idempotency;
import dev.zoomscheduler.idempotency.Idempotency.Recovery;
import dev.zoomscheduler.idempotency.Idempotency.Refusals;
import dev.zoomscheduler.zoom.ZoomReply;

/** Carries out a meeting command, at most once per idempotency key when there is one. */
@ApplicationScoped
public class MeetingScheduler {

    private final Meetings meetings;
    private final Idempotency idempotency;
    private final MeetingAdoption adoption;
    private final ObjectMapper json;

    public MeetingScheduler(Meetings meetings, Idempotency idempotency, MeetingAdoption adoption, ObjectMapper json) {
        this.meetings = meetings;
        this.idempotency = idempotency;
        this.adoption = adoption;
        this.json = json;
    }

    /**
     * @param idempotencyKey null to run the command as it is
     * @param refusals what a refusal before Zoom does to the key
     * @param deadline when the invocation ends
     */
    public Idempotency.Outcome schedule(String idempotencyKey, MeetingCommand command, Refusals refusals, Instant deadline) {
        if (idempotencyKey == null) {
            return new Idempotency.Outcome(execute(command, deadline), false);
        }
        return idempotency.run(idempotencyKey, command.describe(), deadline, refusals, new Idempotency.Attempt() {
            @Override
            public ZoomReply perform() {
                return execute(command, deadline);
            }

            @Override
            public Recovery recover(Instant startedAt, boolean chooseAmongSeveral) {
                return switch (command.action()) {
                    case CREATE -> adoption.find(command, startedAt, chooseAmongSeveral, deadline);
                    case UPDATE -> recovered(adoption.applied(command, deadline));
                    case DELETE -> recovered(adoption.deleted(command, deadline));
                };
            }

            @Override
            public JsonNode meeting(ZoomReply reply) {
                return meetingAfter(command, reply);
            }
        });
    }

    private static Recovery recovered(Optional<ZoomReply> done) {
        return done.map(Recovery::found).orElse(Recovery.NOTHING);
    }

    /** Zoom's meeting for a create; for an update, the fields it changed; the meeting's id in any case. */
    private JsonNode meetingAfter(MeetingCommand command, ZoomReply reply) {
        if (command.action() == MeetingCommand.Action.CREATE) {
            try {
                return json.readTree(reply.body());
            } catch (IOException e) {
                return null; // Zoom's 201 is JSON; an event without the meeting is still the outcome
            }
        }
        ObjectNode meeting = command.action() == MeetingCommand.Action.UPDATE && command.meeting() instanceof ObjectNode changes
                ? changes.deepCopy()
                : json.createObjectNode();
        return meeting.put("id", new BigInteger(command.meetingId()));
    }

    private ZoomReply execute(MeetingCommand command, Instant deadline) {
        return switch (command.action()) {
            case CREATE -> meetings.create(command.connectionId(), command.userId(), command.body(), deadline);
            case UPDATE -> meetings.update(command.connectionId(), command.meetingId(), command.occurrenceId(), command.body(), deadline);
            case DELETE -> meetings.delete(command.connectionId(), command.meetingId(), command.occurrenceId(), deadline);
        };
    }
}
