package dev.zoomscheduler.testing.zoom;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Zoom's meetings API ({@code /v2/users/{userId}/meetings}, {@code /v2/meetings/{meetingId}}) as strict as Zoom: meeting
 * fields are checked (code 300), a query parameter a route does not take is refused, the daily create/update limit per
 * user answers 429, pages are reached only through the {@code next_page_token} Zoom handed out. A recurring meeting with
 * a fixed time (type 8) has occurrences, each read, changed or deleted alone with {@code occurrence_id} (an
 * epoch-millisecond string); one Zoom does not have is answered as a meeting it does not have (404, code 3001).
 */
final class MeetingsApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9@\\-_*]{1,10}");
    private static final Pattern USER_MEETINGS = Pattern.compile("/v2/users/([^/]+)/meetings");
    private static final Pattern MEETING = Pattern.compile("/v2/meetings/([^/]+)");
    private static final Set<Integer> TYPES = Set.of(1, 2, 3, 8);

    private final Users users;

    /** Guards the meetings and the daily counts. */
    private final Object lock = new Object();
    private final Map<Long, ObjectNode> meetings = new LinkedHashMap<>();
    private final Map<String, Integer> createsAndUpdatesPerDay = new HashMap<>();
    private final Set<String> pageTokens = ConcurrentHashMap.newKeySet();
    private final AtomicLong meetingSequence = new AtomicLong(81_000_000_000L + IssuedSecrets.RANDOM.nextInt(1_000_000) * 1000L);

    private volatile Duration clockOffset = Duration.ZERO;
    private volatile int dailyCreateUpdateLimit = 100;
    private volatile Long sampleMeetingId;

    MeetingsApi(Users users) {
        this.users = users;
    }

    // ---- what a test sets up and reads ---------------------------------------------------------------------------

    ObjectNode meeting(long id) {
        synchronized (lock) {
            ObjectNode meeting = meetings.get(id);
            return meeting == null ? null : meeting.deepCopy();
        }
    }

    List<ObjectNode> meetings() {
        synchronized (lock) {
            return meetings.values().stream().map(ObjectNode::deepCopy).toList();
        }
    }

    List<ObjectNode> occurrences(long meetingId) {
        synchronized (lock) {
            ObjectNode meeting = meetings.get(meetingId);
            List<ObjectNode> all = new ArrayList<>();
            if (meeting != null) {
                meeting.path("occurrences").forEach(occurrence -> all.add(((ObjectNode) occurrence).deepCopy()));
            }
            return all;
        }
    }

    int meetingCount() {
        synchronized (lock) {
            return meetings.size();
        }
    }

    void clockOffset(Duration offset) {
        this.clockOffset = offset;
    }

    void createWithIdWhileFree(long id) {
        sampleMeetingId = id;
    }

    void dailyCreateUpdateLimit(int limit) {
        this.dailyCreateUpdateLimit = limit;
    }

    // ---- routes ----------------------------------------------------------------------------------------------------

    /** A request to {@code /v2/} by an authenticated caller. */
    Answer route(Request request, OAuthServer.AccessToken caller) {
        Matcher userMeetings = USER_MEETINGS.matcher(request.path);
        if (userMeetings.matches()) {
            String named = Request.decode(userMeetings.group(1));
            String userId = users.resolve(caller, named);
            if (userId == null) {
                return Answer.error(404, 1001, "User does not exist: " + named + ".");
            }
            return switch (request.method) {
                case "POST" -> create(request, userId);
                case "GET" -> list(request, userId);
                default -> Answer.notAllowed();
            };
        }
        Matcher meeting = MEETING.matcher(request.path);
        if (meeting.matches()) {
            Long id = meetingId(meeting.group(1));
            return switch (request.method) {
                case "GET" -> get(request, id, meeting.group(1));
                case "PATCH" -> update(request, id, meeting.group(1), caller);
                case "DELETE" -> delete(request, id, meeting.group(1));
                default -> Answer.notAllowed();
            };
        }
        return Answer.notFound();
    }

    private Answer create(Request request, String userId) {
        ObjectNode body = request.jsonObject();
        Answer refused = refusal(body);
        if (refused != null) {
            return refused;
        }
        synchronized (lock) {
            if (!countCreateOrUpdate(userId)) {
                return dailyLimit();
            }
            Long pinned = sampleMeetingId;
            long id = pinned != null && !meetings.containsKey(pinned) ? pinned : meetingSequence.incrementAndGet();
            ObjectNode meeting = body.deepCopy();
            meeting.put("uuid", IssuedSecrets.random(16) + "==");
            meeting.put("id", id);
            meeting.put("host_id", userId);
            meeting.put("host_email", users.email(userId));
            meeting.put("type", body.path("type").asInt(2));
            meeting.put("status", "waiting");
            meeting.put("created_at", Instant.now().plus(clockOffset).truncatedTo(ChronoUnit.SECONDS).toString());
            meeting.put("start_time", startTimeInUtc(body).orElse(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
            meeting.put("duration", body.path("duration").asInt(60));
            meeting.put("timezone", body.path("timezone").asText("UTC"));
            String password = body.path("password").asText(String.format("%06d", IssuedSecrets.RANDOM.nextInt(1_000_000)));
            meeting.put("password", password);
            meeting.put("start_url", "https://zoom.example/s/" + id + "?zak=" + IssuedSecrets.random(20));
            meeting.put("join_url", "https://zoom.example/j/" + id + "?pwd=" + IssuedSecrets.random(12));
            ObjectNode settings = JSON.createObjectNode()
                    .put("host_video", false).put("participant_video", false).put("join_before_host", false)
                    .put("mute_upon_entry", false).put("approval_type", 2).put("audio", "both").put("auto_recording", "none")
                    .put("waiting_room", false);
            if (body.path("settings").isObject()) {
                settings.setAll((ObjectNode) body.get("settings"));
            }
            meeting.set("settings", settings);
            meeting.put("pre_schedule", body.path("pre_schedule").asBoolean(false));
            if (meeting.path("type").asInt() == 8 && body.path("recurrence").isObject()) {
                meeting.set("occurrences", Recurrence.occurrences(JSON, body.get("recurrence"),
                        Instant.parse(meeting.get("start_time").asText()), meeting.get("duration").asInt(),
                        ZoneId.of(meeting.get("timezone").asText())));
            }
            meetings.put(id, meeting);
            return Answer.json(201, meeting);
        }
    }

    /**
     * {@code GET /meetings/{id}}: the meeting with the occurrences Zoom still has that have not begun (all of them with
     * {@code show_previous_occurrences=true}); with {@code occurrence_id}, that occurrence: the meeting as it shows it.
     */
    private Answer get(Request request, Long id, String rawId) {
        Map<String, String> query = request.queryParameters();
        Answer refused = queryRefusal(query, Set.of("occurrence_id", "show_previous_occurrences"));
        if (refused != null) {
            return refused;
        }
        boolean previous = Boolean.parseBoolean(query.get("show_previous_occurrences"));
        synchronized (lock) {
            ObjectNode meeting = id == null ? null : meetings.get(id);
            if (meeting == null) {
                return meetingNotFound(rawId);
            }
            ObjectNode shown = meeting.deepCopy();
            String occurrenceId = query.get("occurrence_id");
            if (occurrenceId != null) {
                ObjectNode occurrence = Recurrence.available(meeting, occurrenceId);
                if (occurrence == null) {
                    return occurrenceNotFound(occurrenceId);
                }
                occurrence.properties().forEach(field -> {
                    if (!field.getKey().equals("occurrence_id") && !field.getKey().equals("status")) {
                        shown.set(field.getKey(), field.getValue());
                    }
                });
                shown.putArray("occurrences").add(occurrence.deepCopy());
            } else if (meeting.has("occurrences")) {
                ArrayNode listed = shown.putArray("occurrences");
                for (JsonNode occurrence : meeting.get("occurrences")) {
                    boolean begun = !Instant.parse(occurrence.get("start_time").asText()).isAfter(Instant.now());
                    if ("available".equals(occurrence.path("status").asText()) && (previous || !begun)) {
                        listed.add(occurrence.deepCopy());
                    }
                }
            }
            return Answer.json(200, shown);
        }
    }

    /**
     * {@code PATCH /meetings/{id}}; with {@code occurrence_id}, only that occurrence changes (its start in the body's time
     * zone, else the meeting's; its other fields as sent), and the series keeps its own.
     */
    private Answer update(Request request, Long id, String rawId, OAuthServer.AccessToken caller) {
        Map<String, String> query = request.queryParameters();
        Answer refusedQuery = queryRefusal(query, Set.of("occurrence_id"));
        if (refusedQuery != null) {
            return refusedQuery;
        }
        ObjectNode body = request.jsonObject();
        Answer refused = refusal(body);
        if (refused != null) {
            return refused;
        }
        String occurrenceId = query.get("occurrence_id");
        if (occurrenceId != null && (body.has("type") || body.has("recurrence"))) {
            return Answer.error(400, 300, "Invalid field: an occurrence has no " + (body.has("type") ? "type" : "recurrence")
                    + " of its own.");
        }
        synchronized (lock) {
            ObjectNode meeting = id == null ? null : meetings.get(id);
            if (meeting == null) {
                return meetingNotFound(rawId);
            }
            ObjectNode occurrence = occurrenceId == null ? null : Recurrence.available(meeting, occurrenceId);
            if (occurrenceId != null && occurrence == null) {
                return occurrenceNotFound(occurrenceId);
            }
            if (!countCreateOrUpdate(caller.userId())) {
                return dailyLimit();
            }
            ObjectNode target = occurrence != null ? occurrence : meeting;
            ObjectNode settings = (ObjectNode) meeting.get("settings");
            body.properties().forEach(field -> {
                if (field.getKey().equals("settings") && field.getValue().isObject() && occurrence == null) {
                    settings.setAll((ObjectNode) field.getValue());
                } else if (!field.getKey().equals("start_time")) {
                    target.set(field.getKey(), field.getValue());
                }
            });
            if (body.has("start_time")) {
                ObjectNode zoned = body.deepCopy();
                if (!zoned.has("timezone")) {
                    zoned.set("timezone", meeting.get("timezone"));
                }
                startTimeInUtc(zoned).ifPresent(start -> target.put("start_time", start));
            }
            return Answer.noContent();
        }
    }

    /** {@code DELETE /meetings/{id}}; with {@code occurrence_id}, that occurrence only: the series stays. */
    private Answer delete(Request request, Long id, String rawId) {
        Map<String, String> query = request.queryParameters();
        Answer refused = queryRefusal(query, Set.of("occurrence_id", "schedule_for_reminder", "cancel_meeting_reminder"));
        if (refused != null) {
            return refused;
        }
        String occurrenceId = query.get("occurrence_id");
        synchronized (lock) {
            ObjectNode meeting = id == null ? null : meetings.get(id);
            if (meeting == null) {
                return meetingNotFound(rawId);
            }
            if (occurrenceId == null) {
                meetings.remove(id);
                return Answer.noContent();
            }
            ObjectNode occurrence = Recurrence.available(meeting, occurrenceId);
            if (occurrence == null) {
                return occurrenceNotFound(occurrenceId);
            }
            occurrence.put("status", "deleted");
            return Answer.noContent();
        }
    }

    private Answer list(Request request, String userId) {
        Map<String, String> query = request.queryParameters();
        int pageSize;
        try {
            pageSize = Math.min(300, Math.max(1, Integer.parseInt(query.getOrDefault("page_size", "30"))));
        } catch (NumberFormatException e) {
            return Answer.error(400, 300, "Invalid field: page_size.");
        }
        int offset = 0;
        String pageToken = query.get("next_page_token");
        if (pageToken != null && !pageToken.isEmpty()) {
            if (!pageTokens.contains(pageToken)) {
                return Answer.error(400, 300, "Invalid next_page_token.");
            }
            offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8).split(":")[1]);
        }
        synchronized (lock) {
            List<ObjectNode> hosted = meetings.values().stream().filter(m -> userId.equals(m.path("host_id").asText())).toList();
            ArrayNode page = JSON.createArrayNode();
            for (ObjectNode meeting : hosted.subList(Math.min(offset, hosted.size()), Math.min(offset + pageSize, hosted.size()))) {
                ObjectNode summary = page.addObject();
                for (String field : List.of("uuid", "id", "host_id", "topic", "type", "start_time", "duration", "timezone", "agenda",
                        "created_at", "join_url")) {
                    if (meeting.has(field)) {
                        summary.set(field, meeting.get(field));
                    }
                }
            }
            String next = "";
            if (offset + pageSize < hosted.size()) {
                next = Base64.getUrlEncoder().withoutPadding()
                        .encodeToString((IssuedSecrets.random(6) + ":" + (offset + pageSize)).getBytes(StandardCharsets.UTF_8));
                pageTokens.add(next);
            }
            ObjectNode answer = JSON.createObjectNode()
                    .put("page_size", pageSize)
                    .put("total_records", hosted.size())
                    .put("next_page_token", next);
            answer.set("meetings", page);
            return Answer.json(200, answer);
        }
    }

    // ---- Zoom's checks -------------------------------------------------------------------------------------------

    /** Zoom's answer to a meeting body it refuses (code 300), or null. */
    private static Answer refusal(ObjectNode body) {
        if (body == null) {
            return Answer.error(400, 300, "Invalid request body: a JSON object with Content-Type application/json is required.");
        }
        String invalid = invalidField(body);
        return invalid == null ? null : Answer.error(400, 300, invalid);
    }

    /** Zoom's own checks of meeting fields, or null. */
    private static String invalidField(ObjectNode body) {
        JsonNode type = body.get("type");
        if (type != null && !(type.isInt() && TYPES.contains(type.intValue()))) {
            return "Invalid field: type.";
        }
        if (body.path("topic").asText("").length() > 200) {
            return "Invalid field: topic.";
        }
        if (body.path("agenda").asText("").length() > 2000) {
            return "Invalid field: agenda.";
        }
        JsonNode password = body.get("password");
        if (password != null && !(password.isTextual() && PASSWORD.matcher(password.textValue()).matches())) {
            return "Invalid field: password.";
        }
        if (body.has("start_time") && startTimeInUtc(body).isEmpty()) {
            return "Invalid field: start_time.";
        }
        return null;
    }

    /** Zoom's refusal of a query it does not take on a meeting route (code 300), or null. */
    private static Answer queryRefusal(Map<String, String> query, Set<String> known) {
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            if (!known.contains(parameter.getKey())) {
                return Answer.error(400, 300, "Invalid parameter: " + parameter.getKey() + ".");
            }
        }
        String occurrenceId = query.get("occurrence_id");
        if (occurrenceId != null && !occurrenceId.matches("[0-9]{1,19}")) {
            return Answer.error(400, 300, "Invalid field: occurrence_id.");
        }
        String previous = query.get("show_previous_occurrences");
        if (previous != null && !previous.equals("true") && !previous.equals("false")) {
            return Answer.error(400, 300, "Invalid field: show_previous_occurrences.");
        }
        return null;
    }

    /** A start time without {@code Z} is read in the body's {@code timezone}; Zoom answers it in UTC. */
    private static Optional<String> startTimeInUtc(ObjectNode body) {
        JsonNode start = body.get("start_time");
        if (start == null || !start.isTextual()) {
            return Optional.empty();
        }
        String text = start.textValue();
        try {
            if (text.endsWith("Z")) {
                return Optional.of(Instant.parse(text).toString());
            }
            ZoneId zone = ZoneId.of(body.path("timezone").asText("UTC"));
            return Optional.of(LocalDateTime.parse(text).atZone(zone).toInstant().toString());
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Counts one create or update for the user today (UTC); false if the daily limit is spent. The caller holds the lock. */
    private boolean countCreateOrUpdate(String userId) {
        String key = userId + "/" + LocalDate.now(ZoneOffset.UTC);
        int used = createsAndUpdatesPerDay.getOrDefault(key, 0);
        if (used >= dailyCreateUpdateLimit) {
            return false;
        }
        createsAndUpdatesPerDay.put(key, used + 1);
        return true;
    }

    private Answer dailyLimit() {
        return new Answer(429, Map.of("Content-Type", "application/json;charset=UTF-8", "X-RateLimit-Type", "Daily-limit"),
                "{\"code\":429,\"message\":\"You have exceeded the daily rate limit (" + dailyCreateUpdateLimit
                        + ") of Meeting Create/Update API requests permitted for this particular user. You may resume these "
                        + "requests at GMT 00:00:00.\"}");
    }

    private static Long meetingId(String raw) {
        try {
            return Long.valueOf(raw);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Answer meetingNotFound(String rawId) {
        return Answer.error(404, 3001, "Meeting does not exist: " + rawId + ".");
    }

    /** An occurrence that the meeting never had, or that was deleted: answered as a meeting Zoom does not have. */
    private static Answer occurrenceNotFound(String occurrenceId) {
        return Answer.error(404, 3001, "Meeting occurrence does not exist: " + occurrenceId + ".");
    }
}
