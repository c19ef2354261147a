package dev.zoomscheduler.events;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.zoomscheduler.aws.AwsClients;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Keeps a queued message out of sight until a time (up to SQS's 12 hours), so that a request that cannot succeed before
 * then (Zoom's daily limit, reset at 00:00 UTC) waits instead of cycling into the dead-letter queue. The SQS client is
 * made on first use: only that rare case needs it, and start-up stays light.
 */
@ApplicationScoped
public class QueueHoldBack {

    private static final Logger LOG = Logger.getLogger(QueueHoldBack.class);
    private static final Duration LONGEST = Duration.ofHours(12).minusMinutes(5);
    /** Spreads the held-back messages over a few minutes after the reset instead of all at 00:00:00. */
    private static final long SPREAD_SECONDS = 300;

    private final Optional<String> endpointOverride;
    private volatile SqsClient client;

    public QueueHoldBack(@ConfigProperty(name = "queue.sqs-endpoint-override") Optional<String> endpointOverride) {
        this.endpointOverride = endpointOverride;
    }

    /** Hides the message for about {@code wait}; false if SQS could not be told (the message then comes back as usual). */
    public boolean holdBack(QueueMessage message, Duration wait) {
        long seconds = Math.min(LONGEST.toSeconds(), wait.toSeconds() + ThreadLocalRandom.current().nextLong(SPREAD_SECONDS));
        try {
            client().changeMessageVisibility(r -> r.queueUrl(queueUrl(message.queueArn())).receiptHandle(message.receiptHandle())
                    .visibilityTimeout((int) seconds));
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("Message %s could not be held back (%s); SQS delivers it again after its visibility timeout",
                    message.messageId(), e.getClass().getSimpleName());
            return false;
        }
    }

    /**
     * {@code arn:PARTITION:sqs:REGION:ACCOUNT:NAME} → {@code https://sqs.REGION.DNS-SUFFIX/ACCOUNT/NAME}, with the DNS
     * suffix of the region's partition (amazonaws.com, amazonaws.com.cn in China, ...).
     */
    static String queueUrl(String queueArn) {
        String[] parts = queueArn.split(":");
        if (parts.length != 6 || !"sqs".equals(parts[2])) {
            throw new IllegalArgumentException("Not an SQS queue ARN: " + queueArn);
        }
        String dnsSuffix = PartitionMetadata.of(Region.of(parts[3])).dnsSuffix();
        return "https://sqs." + parts[3] + "." + dnsSuffix + "/" + parts[4] + "/" + parts[5];
    }

    private SqsClient client() {
        SqsClient made = client;
        if (made == null) {
            synchronized (this) {
                if (client == null) {
                    client = AwsClients.build(SqsClient.builder(), endpointOverride, null);
                }
                made = client;
            }
        }
        return made;
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
