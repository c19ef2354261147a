package dev.zoomscheduler.meetings;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.zoomscheduler.zoom.ZoomReply;

/**
 * Finds the meeting that an abandoned create (crashed, or with Zoom's answer lost) may have made, so that its retry
 * adopts it instead of creating a second one. The rule: among the host's scheduled meetings, one with the same topic
 * and, where the request names one, the same start time, created after the abandoned attempt began (less a minute of
 * clock skew); the most recently created wins. Its limits (README.md): a request without a topic is never matched; only
 * the first pages of the host's list are searched; a same-topic, same-time meeting made by someone else in that window
 * would be adopted.
 */
@ApplicationScoped
public class MeetingAdoption {

    private static final Logger LOG = Logger.getLogger(MeetingAdoption.class);
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private static final int PAGE_SIZE = 300;
    private static final int MAX_PAGES = 5;

    private final Meetings meetings;
    private final ObjectMapper json;

    public MeetingAdoption(Meetings meetings, ObjectMapper json) {
        this.meetings = meetings;
        this.json = json;
    }

    public Optional<ZoomReply> find(MeetingCommand create, Instant attemptStartedAt, Instant deadline) {
        JsonNode topic = create.meeting().get("topic");
        if (topic == null || !topic.isTextual()) {
            return Optional.empty();
        }
        Optional<Instant> start = startOf(create.meeting());
        Instant createdFrom = attemptStartedAt.minus(CLOCK_SKEW);
        JsonNode match = null;
        String pageToken = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode list = parse(meetings.list(create.connectionId(), create.userId(),
                    new ListQuery(null, PAGE_SIZE, pageToken, null, null), deadline).body());
            for (JsonNode candidate : list.path("meetings")) {
                if (topic.textValue().equals(candidate.path("topic").asText(null))
                        && (start.isEmpty() || start.equals(instant(candidate.path("start_time").asText(null))))
                        && instant(candidate.path("created_at").asText(null)).filter(at -> !at.isBefore(createdFrom)).isPresent()
                        && (match == null || candidate.path("created_at").asText().compareTo(match.path("created_at").asText()) > 0)) {
                    match = candidate;
                }
            }
            pageToken = list.path("next_page_token").asText("");
            if (pageToken.isEmpty()) {
                break;
            }
        }
        if (match == null) {
            return Optional.empty();
        }
        LOG.infof("Adopting meeting %s, made by an abandoned attempt of the same create", match.path("id").asText());
        return Optional.of(new ZoomReply(201, meetings.get(create.connectionId(), match.path("id").asText(), deadline).body()));
    }

    /** The request's start as an instant: UTC with {@code Z}, else in its {@code timezone}; empty if it cannot be known. */
    private static Optional<Instant> startOf(JsonNode meeting) {
        String start = meeting.path("start_time").asText(null);
        if (start == null) {
            return Optional.empty();
        }
        if (start.endsWith("Z")) {
            return instant(start);
        }
        String zone = meeting.path("timezone").asText(null);
        try {
            return zone == null ? Optional.empty() : Optional.of(LocalDateTime.parse(start).atZone(ZoneId.of(zone)).toInstant());
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> instant(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Instant.parse(value));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return json.missingNode();
        }
    }
}
