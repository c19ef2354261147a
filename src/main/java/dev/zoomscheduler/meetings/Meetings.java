package dev.zoomscheduler.meetings;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.zoomscheduler.zoom.ZoomCaller;
import dev.zoomscheduler.zoom.ZoomReply;

/** The meeting operations, for any entry point; arguments are already validated. */
@ApplicationScoped
public class Meetings {

    private final ZoomMeetingsClient client;
    private final ZoomCaller zoom;

    public Meetings(@RestClient ZoomMeetingsClient client, ZoomCaller zoom) {
        this.client = client;
        this.zoom = zoom;
    }

    public ZoomReply create(String connectionId, String userId, byte[] meeting) {
        return zoom.call(connectionId, authorization -> client.create(authorization, userId, meeting));
    }

    public ZoomReply get(String connectionId, String meetingId) {
        return zoom.call(connectionId, authorization -> client.get(authorization, meetingId));
    }

    public ZoomReply update(String connectionId, String meetingId, byte[] changes) {
        return zoom.call(connectionId, authorization -> client.update(authorization, meetingId, changes));
    }

    public ZoomReply delete(String connectionId, String meetingId) {
        return zoom.call(connectionId, authorization -> client.delete(authorization, meetingId));
    }

    public ZoomReply list(String connectionId, String userId, ListQuery query) {
        return zoom.call(connectionId, authorization -> client.list(authorization, userId, query.type(), query.pageSize(),
                query.nextPageToken(), query.from(), query.to()));
    }
}
