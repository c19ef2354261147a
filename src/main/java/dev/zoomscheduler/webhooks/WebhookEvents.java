package dev.zoomscheduler.webhooks;

import java.io.IOException;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.zoomscheduler.idempotency.RequestRecord;
import dev.zoomscheduler.idempotency.RequestStore;
import dev.zoomscheduler.observability.Metrics;
import dev.zoomscheduler.tokens.ConnectionInfo;
import dev.zoomscheduler.tokens.ConnectionStore;
import dev.zoomscheduler.tokens.TokenRotation;
import dev.zoomscheduler.tokens.TokenStore.WriteOutcome;

/**
 * What a verified Zoom event changes. {@code app_deauthorized}: the connections the user authorised are marked revoked
 * and lose their tokens. {@code meeting.updated} and {@code meeting.deleted}: the request records of that meeting say so
 * (an update's new fields are merged into the stored answer); an event older than one already recorded changes nothing.
 * Other events are accepted and ignored, so Zoom does not retry them.
 */
@ApplicationScoped
public class WebhookEvents {

    private static final Logger LOG = Logger.getLogger(WebhookEvents.class);
    private static final int REVOKE_ATTEMPTS = 3;

    private final ConnectionStore connections;
    private final RequestStore requests;
    private final TokenRotation rotation;
    private final ObjectMapper json;
    private final Clock clock;
    private final Metrics metrics;
    private final Optional<String> clientId;

    public WebhookEvents(ConnectionStore connections, RequestStore requests, TokenRotation rotation, ObjectMapper json, Clock clock,
            Metrics metrics, @ConfigProperty(name = "zoom.client-id") Optional<String> clientId) {
        this.connections = connections;
        this.requests = requests;
        this.rotation = rotation;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
        this.clientId = clientId;
    }

    public void handle(String event, JsonNode notification) {
        JsonNode payload = notification.path("payload");
        long eventAt = notification.path("event_ts").canConvertToLong() ? notification.path("event_ts").asLong() : clock.millis();
        switch (event) {
            case "app_deauthorized" -> deauthorized(payload);
            case "meeting.updated" -> meetingChanged(payload.path("object"), "updated", eventAt);
            case "meeting.deleted" -> meetingChanged(payload.path("object"), "deleted", eventAt);
            default -> LOG.debugf("Ignored Zoom event %s", event);
        }
        metrics.count("WebhookEvents", "Event", event.isEmpty() ? "unnamed" : event);
    }

    private void deauthorized(JsonNode payload) {
        String appClientId = payload.path("client_id").asText("");
        if (!appClientId.isEmpty() && clientId.isPresent() && !clientId.get().equals(appClientId)) {
            return; // another app of the same subscription
        }
        String userId = payload.path("user_id").asText("");
        if (userId.isEmpty()) {
            return;
        }
        for (ConnectionInfo connection : connections.authorizedBy(userId)) {
            revoke(connection);
        }
    }

    private void revoke(ConnectionInfo connection) {
        long seenVersion = connection.version();
        for (int attempt = 1; attempt <= REVOKE_ATTEMPTS; attempt++) {
            WriteOutcome outcome = connections.markRevoked(connection.connectionId(), seenVersion);
            if (outcome.applied()) {
                rotation.forget(connection.connectionId());
                LOG.infof("Connection %s revoked: the user removed the app at Zoom", connection.connectionId());
                return;
            }
            if (outcome.item() == null) {
                return; // deleted meanwhile
            }
            seenVersion = outcome.item().version(); // a refresh moved the version on
        }
    }

    private void meetingChanged(JsonNode meeting, String state, long eventAt) {
        JsonNode id = meeting.path("id");
        if (!id.canConvertToLong()) {
            return;
        }
        for (RequestRecord record : requests.forMeeting(Long.toString(id.asLong()))) {
            String merged = state.equals("updated") ? merged(record.resultBody(), meeting) : null;
            requests.recordMeetingEvent(record, state, eventAt, merged);
        }
    }

    /** The stored answer with the event's fields merged in (objects such as {@code settings} field by field), or null. */
    private String merged(String answer, JsonNode changes) {
        if (answer == null || answer.isEmpty()) {
            return null;
        }
        try {
            JsonNode stored = json.readTree(answer);
            if (!(stored instanceof ObjectNode target)) {
                return null;
            }
            merge(target, changes);
            return target.toString();
        } catch (IOException e) {
            return null;
        }
    }

    private static void merge(ObjectNode target, JsonNode changes) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = changes.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("id") || field.getKey().equals("uuid")) {
                continue;
            }
            if (field.getValue().isObject() && target.get(field.getKey()) instanceof ObjectNode nested) {
                merge(nested, field.getValue());
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }
}
