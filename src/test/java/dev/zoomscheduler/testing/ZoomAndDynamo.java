package dev.zoomscheduler.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * What a {@code @QuarkusTest} talks to: the strict Zoom fake, moto_server behind a counting, fault-injecting proxy as
 * DynamoDB, and moto_server as SQS.
 * All are shared by the JVM's tests, so the application starts once.
 */
public class ZoomAndDynamo implements QuarkusTestResourceLifecycleManager {

    private static ZoomFake zoom;
    private static DynamoProxy dynamo;

    public static synchronized ZoomFake zoom() {
        if (zoom == null) {
            zoom = ZoomFake.start();
        }
        return zoom;
    }

    /** The proxy the application's DynamoDB client goes through. */
    public static synchronized DynamoProxy dynamo() {
        if (dynamo == null) {
            dynamo = DynamoProxy.start(MotoServer.shared().endpoint());
        }
        return dynamo;
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
                "zoom.webhook-secret-token", ZoomFake.WEBHOOK_SECRET_TOKEN);
    }

    @Override
    public void stop() {
        // shared with later test classes of the JVM; the processes end with it
    }
}
