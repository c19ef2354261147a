package dev.zoomscheduler.testing;

import java.time.Duration;
import java.util.Map;

import dev.zoomscheduler.testing.zoom.ZoomFake;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Everything outside the function that a {@code @QuarkusTest} talks to: the strict Zoom fake, and AWS as moto_server
 * (DynamoDB behind a counting, fault-injecting proxy; SQS directly; the EventBridge of outcome events behind a proxy of
 * its own, to fail a publish). All are shared by the JVM's tests, so the application starts once.
 */
public class ZoomAndAws implements QuarkusTestResourceLifecycleManager {

    private static ZoomFake zoom;
    private static AwsApiProxy dynamo;
    private static AwsApiProxy eventBridge;

    public static synchronized ZoomFake zoom() {
        if (zoom == null) {
            zoom = ZoomFake.start();
        }
        return zoom;
    }

    /** The proxy the application's DynamoDB client goes through. */
    public static synchronized AwsApiProxy dynamo() {
        if (dynamo == null) {
            dynamo = AwsApiProxy.start(MotoServer.shared().endpoint());
        }
        return dynamo;
    }

    /** The proxy the application's EventBridge client goes through (its operations, such as PutEvents, can be failed). */
    public static synchronized AwsApiProxy eventBridge() {
        if (eventBridge == null) {
            new OutcomeEventBus(MotoServer.shared().endpoint()).create();
            eventBridge = AwsApiProxy.start(MotoServer.shared().endpoint());
        }
        return eventBridge;
    }

    /**
     * Puts back those stand-ins that have started as a test found them: no injected fault waiting, Zoom's clock the
     * system's. {@link PutStandInsBack} calls it after every {@code @QuarkusTest} method.
     */
    static synchronized void putBack() {
        if (zoom != null) {
            zoom.clearFaults();
            zoom.clockOffset(Duration.ZERO);
        }
        if (dynamo != null) {
            dynamo.clearFaults();
        }
        if (eventBridge != null) {
            eventBridge.clearFaults();
        }
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.dynamodb.endpoint-override", dynamo().endpoint(),
                "queue.sqs-endpoint-override", MotoServer.shared().endpoint(),
                "zoom.api-url", zoom().apiUrl(),
                "zoom.oauth-url", zoom().oauthUrl(),
                "zoom.client-id", ZoomFake.CLIENT_ID,
                "zoom.client-secret", ZoomFake.CLIENT_SECRET,
                "zoom.webhook-secret-token", ZoomFake.WEBHOOK_SECRET_TOKEN,
                "outcome-events.bus", OutcomeEventBus.BUS,
                "outcome-events.endpoint-override", eventBridge().endpoint());
    }

    @Override
    public void stop() {
        // shared with later test classes of the JVM; the processes end with it
    }
}
