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
import dev.zoomscheduler.idempotency.Reply;
import dev.zoomscheduler.zoom.ZoomReply;

/** Carries out a meeting command, at most once per idempotency key when there is one. */
@ApplicationScoped
public class MeetingScheduler {

    private final Meetings meetings;
    private final Idempotency idempotency;
    private final MeetingRecovery recovery;
    private final ObjectMapper json;

    public MeetingScheduler(Meetings meetings, Idempotency idempotency, MeetingRecovery recovery, ObjectMapper json) {
        this.meetings = meetings;
        this.idempotency = idempotency;
        this.recovery = recovery;
        this.json = json;
    }

    /**
     * @param idempotencyKey null to run the command as it is
     * @param refusals what a refusal before Zoom does to the key
     * @param deadline when the invocation ends
     */
    public Idempotency.Outcome schedule(String idempotencyKey, MeetingCommand command, Refusals refusals, Instant deadline) {
        if (idempotencyKey == null) {
            return new Idempotency.Outcome(reply(execute(command, deadline)), false);
        }
        return idempotency.run(idempotencyKey, command.describe(), deadline, refusals, new Idempotency.Attempt() {
            @Override
            public Reply perform() {
                return reply(execute(command, deadline));
            }

            @Override
            public Recovery recover(Instant startedAt, boolean chooseAmongSeveral) {
                return switch (command.action()) {
                    case CREATE -> recovery.find(command, startedAt, chooseAmongSeveral, deadline);
                    case UPDATE -> recovered(recovery.applied(command, deadline));
                    case DELETE -> recovered(recovery.deleted(command, deadline));
                };
            }

            @Override
            public String meetingMadeBy(Reply reply) {
                return command.action() == MeetingCommand.Action.CREATE ? CreatedMeeting.idOf(reply.body()) : null;
            }

            @Override
            public JsonNode meeting(Reply reply) {
                return meetingAfter(command, reply);
            }
        });
    }

    private static Recovery recovered(Optional<Reply> done) {
        return done.map(Recovery::found).orElse(Recovery.NOTHING);
    }

    /** Zoom's meeting for a create; for an update, the fields it changed; the meeting's id in any case. */
    private JsonNode meetingAfter(MeetingCommand command, Reply reply) {
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

    /** Zoom's answer as a request's record keeps it. */
    private static Reply reply(ZoomReply zoom) {
        return new Reply(zoom.status(), zoom.body());
    }

    private ZoomReply execute(MeetingCommand command, Instant deadline) {
        return switch (command.action()) {
            case CREATE -> meetings.create(command.connectionId(), command.userId(), command.body(), deadline);
            case UPDATE -> meetings.update(command.connectionId(), command.meetingId(), command.occurrenceId(), command.body(), deadline);
            case DELETE -> meetings.delete(command.connectionId(), command.meetingId(), command.occurrenceId(), deadline);
        };
    }
}
