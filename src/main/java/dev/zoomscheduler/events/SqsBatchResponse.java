package dev.zoomscheduler.events;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * SQS's partial batch response ({@code ReportBatchItemFailures}): the messages to deliver again; the others are deleted.
 */
@RegisterForReflection
public record SqsBatchResponse(List<BatchItemFailure> batchItemFailures) {

    /** @param itemIdentifier the SQS message id */
    @RegisterForReflection
    public record BatchItemFailure(String itemIdentifier) {
    }
}
