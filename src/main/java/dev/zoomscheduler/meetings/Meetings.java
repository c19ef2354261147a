package dev.zoomscheduler.meetings;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.zoomscheduler.zoom.ZoomCaller;
import dev.zoomscheduler.zoom.ZoomCaller.Retries;
import dev.zoomscheduler.zoom.ZoomReply;

/**
 * The meeting operations, for any entry point; arguments are already validated. Each ends by {@code deadline}, the
 * invocation's. Only a create is unsafe to repeat after an unknown outcome.
 */
@ApplicationScoped
public class Meetings {

    private final ZoomMeetingsClient client;
    private final ZoomCaller zoom;

    public Meetings(@RestClient ZoomMeetingsClient client, ZoomCaller zoom) {
        this.client = client;
        this.zoom = zoom;
    }

    public ZoomReply create(String connectionId, String userId, byte[] meeting, Instant deadline) {
        return zoom.call(connectionId, "create", Retries.ONLY_IF_REFUSED, deadline, authorization -> client.create(authorization, userId, meeting));
    }

    /**
     * @param occurrenceId one occurrence of a recurring meeting, or null for the meeting
     * @param showPreviousOccurrences whether Zoom also lists occurrences that have begun; null: Zoom's default
     */
    public ZoomReply get(String connectionId, String meetingId, String occurrenceId, Boolean showPreviousOccurrences, Instant deadline) {
        return zoom.call(connectionId, "get", Retries.SAFE, deadline,
                authorization -> client.get(authorization, meetingId, occurrenceId, showPreviousOccurrences));
    }

    /** @param occurrenceId the one occurrence of a recurring meeting to change, or null for the meeting (the series) */
    public ZoomReply update(String connectionId, String meetingId, String occurrenceId, byte[] changes, Instant deadline) {
        return zoom.call(connectionId, "update", Retries.SAFE, deadline,
                authorization -> client.update(authorization, meetingId, occurrenceId, changes));
    }

    /** @param occurrenceId the one occurrence of a recurring meeting to delete, or null for the meeting (the series) */
    public ZoomReply delete(String connectionId, String meetingId, String occurrenceId, Instant deadline) {
        return zoom.call(connectionId, "delete", Retries.DELETE, deadline, authorization -> client.delete(authorization, meetingId, occurrenceId));
    }

    public ZoomReply list(String connectionId, String userId, ListQuery query, Instant deadline) {
        return zoom.call(connectionId, "list", Retries.SAFE, deadline, authorization -> client.list(authorization, userId, query.type(),
                query.pageSize(), query.nextPageToken(), query.from(), query.to()));
    }
}
