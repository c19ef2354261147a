package dev.zoomscheduler.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The queue URL the hold-back sends ChangeMessageVisibility for, from the queue ARN of an SQS event, in every partition. */
class QueueUrlTest {

    @Test
    void theUrlHasTheDnsSuffixOfTheQueuesPartition() {
        assertEquals("https://sqs.us-east-1.amazonaws.com/123456789012/zoom-scheduling",
                QueueHoldBack.queueUrl("arn:aws:sqs:us-east-1:123456789012:zoom-scheduling"));
        assertEquals("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/zoom-scheduling",
                QueueHoldBack.queueUrl("arn:aws-cn:sqs:cn-north-1:123456789012:zoom-scheduling"));
        assertEquals("https://sqs.us-gov-west-1.amazonaws.com/123456789012/zoom-scheduling",
                QueueHoldBack.queueUrl("arn:aws-us-gov:sqs:us-gov-west-1:123456789012:zoom-scheduling"));
        assertThrows(IllegalArgumentException.class, () -> QueueHoldBack.queueUrl("arn:aws:sns:us-east-1:123456789012:topic"));
    }
}
