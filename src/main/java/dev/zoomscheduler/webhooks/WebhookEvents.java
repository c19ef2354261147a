package dev.zoomscheduler.webhooks;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.connections.ConnectionError;
import dev.zoomscheduler.connections.ConnectionInfo;
import dev.zoomscheduler.connections.ConnectionStatus;
import dev.zoomscheduler.meetings.MeetingEvents;
import dev.zoomscheduler.meetings.MeetingRecords;
import dev.zoomscheduler.meetings.MeetingRecords.MeetingRecord;
import dev.zoomscheduler.observability.Metrics;
import dev.zoomscheduler.tokens.ConnectionStore;
import dev.zoomscheduler.tokens.ReauthorizationAlerts;
import dev.zoomscheduler.tokens.TokenRotation;
import dev.zoomscheduler.tokens.TokenStore;

/**
 * What a verified Zoom event changes. Zoom delivers again (same {@code event_ts}) when an answer is slow or fails, and
 * deliveries may arrive out of order, so nothing older or repeated may undo something newer:
 * <ul>
 * <li>{@code app_deauthorized}: the connections the user authorised are marked revoked and lose their tokens, but only
 * those still authorised by that user before the event (a reinstall after it is kept; within the same second the
 * reinstall wins, since Zoom refuses the dead chain anyway) and not revoked already. A connection that was usable until then
 * came to need a human: that is said once ({@link ReauthorizationAlerts}), with the event's time.</li>
 * <li>{@code meeting.updated} and {@code meeting.deleted}: the request records of that meeting say so, with the state of
 * the newest event; an update's fields are merged into the stored answer field by field, each from the newest event that
 * carried it (Zoom sends only the changed fields, so a late older event still brings the ones it alone changed). An event
 * that lists occurrences of a recurring meeting changes those occurrences in the stored answer, by their id, and only the
 * records of requests on them or on the whole meeting ({@link MeetingChange}). Each write is conditional on the events and
 * the answer it merged into; a lost condition is retried on the record as found, so a repeated event changes nothing and
 * no event's fields are dropped.</li>
 * </ul>
 * Other events are accepted and ignored, so Zoom does not retry them.
 */
@ApplicationScoped
public class WebhookEvents {

    private static final Logger LOG = Logger.getLogger(WebhookEvents.class);
    private static final int WRITE_ATTEMPTS = 5;

    private final ConnectionStore connections;
    private final MeetingRecords meetings;
    private final TokenRotation rotation;
    private final ReauthorizationAlerts alerts;
    private final ObjectMapper json;
    private final Clock clock;
    private final Metrics metrics;
    private final Optional<String> clientId;

    public WebhookEvents(ConnectionStore connections, MeetingRecords meetings, TokenRotation rotation, ReauthorizationAlerts alerts,
            ObjectMapper json, Clock clock, Metrics metrics, @ConfigProperty(name = "zoom.client-id") Optional<String> clientId) {
        this.connections = connections;
        this.meetings = meetings;
        this.rotation = rotation;
        this.alerts = alerts;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
        this.clientId = clientId;
    }

    /** @param deadline the invocation's end (a connection's event is published before it) */
    public void handle(String event, JsonNode notification, Instant deadline) {
        JsonNode payload = notification.path("payload");
        long eventAt = notification.path("event_ts").canConvertToLong() ? notification.path("event_ts").asLong() : clock.millis();
        switch (event) {
            case "app_deauthorized" -> deauthorized(payload, eventAt, deadline);
            case "meeting.updated" -> meetingChanged(payload, false, eventAt);
            case "meeting.deleted" -> meetingChanged(payload, true, eventAt);
            default -> LOG.debugf("Ignored Zoom event %s", event);
        }
        metrics.count("WebhookEvents", "Event", event.isEmpty() ? "unnamed" : event);
    }

    private void deauthorized(JsonNode payload, long eventAt, Instant deadline) {
        String appClientId = payload.path("client_id").asText("");
        if (!appClientId.isEmpty() && clientId.isPresent() && !clientId.get().equals(appClientId)) {
            return; // another app of the same subscription
        }
        String userId = payload.path("user_id").asText("");
        if (userId.isEmpty()) {
            return;
        }
        for (ConnectionInfo connection : connections.authorizedBy(userId)) {
            revoke(connection, userId, eventAt, deadline);
        }
    }

    /**
     * Revokes the connection if the event is about its current authorisation. The look-up read it consistently; it is
     * read again only after a lost condition.
     */
    private void revoke(ConnectionInfo listed, String userId, long eventAt, Instant deadline) {
        String connectionId = listed.connectionId();
        String writeId = UUID.randomUUID().toString();
        for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
            Optional<ConnectionInfo> found = attempt == 1 ? Optional.of(listed) : connections.describe(connectionId);
            if (found.isEmpty() || !undoneBy(found.get(), userId, eventAt)) {
                return; // deleted, authorised again (by anyone) after the event, or revoked already
            }
            // a chain that Zoom had refused already needed a human: not a new occurrence, and its error stays
            boolean occurrence = found.get().status() == ConnectionStatus.ACTIVE;
            ConnectionError why = occurrence ? ConnectionError.appDeauthorized(Instant.ofEpochMilli(eventAt)) : null;
            TokenStore.WriteOutcome revoked = connections.markRevoked(connectionId, found.get().version(), why,
                    occurrence && alerts.announces(), writeId);
            if (revoked.applied()) {
                rotation.forget(connectionId);
                LOG.infof("Connection %s revoked: Zoom user %s removed the app", connectionId, userId);
                if (occurrence) {
                    alerts.cameToNeedAHuman(connectionId, why, revoked.item().version(), deadline);
                }
                return;
            }
        }
        LOG.warnf("Connection %s kept changing; app_deauthorized of Zoom user %s was not applied", connectionId, userId);
    }

    /** Whether {@code app_deauthorized} of {@code userId} at {@code eventAt} (epoch ms) ends the connection's authorisation. */
    private static boolean undoneBy(ConnectionInfo connection, String userId, long eventAt) {
        long authorizedUpTo = connection.authorizedAt() * 1000 + 999; // stored in seconds: the whole second counts
        return connection.status() != ConnectionStatus.REVOKED && userId.equals(connection.zoomUserId()) && eventAt > authorizedUpTo;
    }

    private void meetingChanged(JsonNode payload, boolean deleted, long eventAt) {
        JsonNode id = payload.path("object").path("id");
        if (!id.canConvertToLong()) {
            return;
        }
        MeetingChange change = MeetingChange.of(payload, deleted);
        for (MeetingRecord record : meetings.of(Long.toString(id.asLong()))) {
            if (change.concerns(record.occurrenceId())) {
                record(record, change, eventAt);
            }
        }
    }

    /**
     * Records one meeting event on one request record: the state of the newest event, and each of the event's fields that
     * no newer event set. Zoom's {@code meeting.updated} carries only the changed fields, so a late older event still
     * brings the fields it alone changed. A lost condition (another event recorded meanwhile) is tried again on the record as found.
     */
    private void record(MeetingRecord record, MeetingChange change, long eventAt) {
        MeetingRecord seen = record;
        for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
            MeetingEvents before = seen.events();
            boolean newest = before == null || eventAt > before.latestAt();
            Map<String, Long> fieldTimes = before == null ? new HashMap<>() : new HashMap<>(before.fieldTimes());
            String merged = change.mergedNewer(seen.resultBody(), eventAt, fieldTimes, json);
            if (!newest && merged == null) {
                return; // a repeat, or older than what is recorded in every field it carries
            }
            MeetingEvents after = new MeetingEvents(newest ? change.stateFor(record.occurrenceId()) : before.state(),
                    newest ? eventAt : before.latestAt(), (before == null ? 0 : before.applied()) + 1, fieldTimes);
            MeetingRecords.Revision write = meetings.revise(seen, after, merged);
            if (write.applied() || write.found() == null) {
                return;
            }
            seen = write.found();
        }
        LOG.warnf("Request %s kept changing; a meeting event was not recorded", record.key());
    }
}
