package dev.zoomscheduler.idempotency;

import dev.zoomscheduler.dynamodb.StoredEnum;

/** The state of a request record. */
public enum RequestStatus implements StoredEnum {
    IN_PROGRESS,
    COMPLETED,
    FAILED
}
