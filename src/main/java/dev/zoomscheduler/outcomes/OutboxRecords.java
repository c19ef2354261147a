package dev.zoomscheduler.outcomes;

/** Where the outbox's events wait in the records of the requests that ended (the request table). */
public interface OutboxRecords {

    /** Notes that the record's outcome event {@code event} was published (nothing if the record no longer holds it). */
    void published(String key, OutcomeEvent event);
}
