package dev.zoomscheduler.webhooks;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one of Zoom's {@code meeting.updated} or {@code meeting.deleted} events changed: the meeting (the series), or, when
 * its object lists {@code occurrences} (and its {@code scope} is not {@code all}), only those occurrences of a recurring
 * meeting. Zoom sends only the changed fields; an occurrence's changes are its own fields in the list, and, for a change of
 * one occurrence, the object's other changed fields too. A deleted occurrence is one whose {@code status} became
 * {@code deleted}, as Zoom's meeting JSON shows it; the series it belongs to stays.
 *
 * @param series the meeting's changed fields (empty when only occurrences changed, or the meeting was deleted)
 * @param occurrences each changed occurrence's changed fields, by occurrence id
 */
record MeetingChange(boolean deleted, boolean ofOccurrences, ObjectNode series, Map<String, ObjectNode> occurrences) {

    /** Fields that name the meeting or list occurrences: never merged as changes of the meeting itself. */
    private static final Set<String> IDENTITY = Set.of("id", "uuid", "occurrences");

    static MeetingChange of(JsonNode payload, boolean deleted) {
        JsonNode object = payload.path("object");
        ObjectNode changed = JsonNodeFactory.instance.objectNode();
        object.properties().forEach(field -> {
            if (!IDENTITY.contains(field.getKey())) {
                changed.set(field.getKey(), field.getValue());
            }
        });
        JsonNode listed = object.path("occurrences");
        boolean ofOccurrences = listed.isArray() && !listed.isEmpty() && !"all".equals(payload.path("scope").asText());
        Map<String, ObjectNode> occurrences = new LinkedHashMap<>();
        for (JsonNode occurrence : listed) {
            String id = occurrence.path("occurrence_id").asText("");
            if (id.isEmpty()) {
                continue;
            }
            ObjectNode fields = JsonNodeFactory.instance.objectNode();
            if (deleted) {
                fields.put("status", "deleted");
            } else {
                if (ofOccurrences) {
                    fields.setAll(changed); // a change of one occurrence: what changed is that occurrence's
                }
                occurrence.properties().forEach(field -> {
                    if (!field.getKey().equals("occurrence_id")) {
                        fields.set(field.getKey(), field.getValue());
                    }
                });
            }
            occurrences.put(id, fields);
        }
        ObjectNode series = deleted || ofOccurrences ? JsonNodeFactory.instance.objectNode() : changed;
        return new MeetingChange(deleted, ofOccurrences, series, occurrences);
    }

    /** Whether a request on {@code occurrenceId} (null: on the whole meeting) is concerned by this change. */
    boolean concerns(String occurrenceId) {
        return occurrenceId == null || !ofOccurrences || occurrences.containsKey(occurrenceId);
    }

    /**
     * What the change makes of a request's meeting: {@code deleted} if what the request acted on is gone (the meeting, or the
     * occurrence it acted on), else {@code updated} (the series of a deleted occurrence is only changed).
     */
    String stateFor(String occurrenceId) {
        return deleted && (!ofOccurrences || occurrenceId != null) ? "deleted" : "updated";
    }

    /**
     * The stored answer with the changed fields that are newer than what set them before (objects such as {@code settings}
     * field by field, occurrences by their id), noting their time in {@code fieldTimes}; null if no field is newer or there
     * is no answer to merge into.
     */
    String mergedNewer(String answer, long eventAt, Map<String, Long> fieldTimes, ObjectMapper json) {
        if (answer == null || answer.isEmpty()) {
            return null;
        }
        JsonNode stored;
        try {
            stored = json.readTree(answer);
        } catch (IOException e) {
            return null;
        }
        if (!(stored instanceof ObjectNode target)) {
            return null;
        }
        boolean changed = merge(target, series, "", eventAt, fieldTimes);
        for (JsonNode occurrence : target.path("occurrences")) {
            ObjectNode fields = occurrences.get(occurrence.path("occurrence_id").asText());
            if (fields != null && occurrence instanceof ObjectNode entry) {
                changed |= merge(entry, fields, "occurrences[" + occurrence.path("occurrence_id").asText() + "].", eventAt, fieldTimes);
            }
        }
        return changed ? target.toString() : null;
    }

    private static boolean merge(ObjectNode target, JsonNode changes, String prefix, long eventAt, Map<String, Long> fieldTimes) {
        boolean changed = false;
        for (Iterator<Map.Entry<String, JsonNode>> fields = changes.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = prefix + field.getKey();
            if (field.getValue().isObject() && target.get(field.getKey()) instanceof ObjectNode nested) {
                changed |= merge(nested, field.getValue(), path + ".", eventAt, fieldTimes);
            } else if (eventAt > fieldTimes.getOrDefault(path, 0L)) {
                target.set(field.getKey(), field.getValue());
                fieldTimes.put(path, eventAt);
                changed = true;
            }
        }
        return changed;
    }
}
