package dev.zoomscheduler.meetings;

import java.util.Map;

/**
 * What Zoom's meeting events said of the meeting of a request's record.
 *
 * @param state {@code updated} or {@code deleted}: what the latest event said
 * @param latestAt epoch milliseconds of the latest event (Zoom's {@code event_ts})
 * @param applied how many events changed the record (the condition of the next write)
 * @param fieldTimes for each field of the stored answer that an event set ({@code settings.x} for a nested one), the
 *        {@code event_ts} of the event that set it: an older event changes only the fields no newer one set
 */
public record MeetingEvents(String state, long latestAt, int applied, Map<String, Long> fieldTimes) {
}
