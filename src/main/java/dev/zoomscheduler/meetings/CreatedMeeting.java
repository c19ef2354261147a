package dev.zoomscheduler.meetings;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The top-level {@code id} of Zoom's answer to a create, read with a streaming parser that stops at it (Zoom puts it
 * first), so the record can be found again by meeting when Zoom reports the meeting updated or deleted.
 */
final class CreatedMeeting {

    private static final JsonFactory JSON = new JsonFactory();

    private CreatedMeeting() {
    }

    /** The meeting id, or null if the answer has none. */
    static String idOf(String answer) {
        if (answer == null || answer.isEmpty()) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(answer)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("id".equals(field) && value == JsonToken.VALUE_NUMBER_INT) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
