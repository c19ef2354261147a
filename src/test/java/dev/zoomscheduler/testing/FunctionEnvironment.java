package dev.zoomscheduler.testing;

import java.util.HashMap;
import java.util.Map;

import dev.zoomscheduler.testing.zoom.ZoomFake;

/**
 * The environment of a packaged function ({@link FunctionProcess}) run against the tests' stand-ins: where its tables,
 * Zoom and the AWS services it uses are, in the variables template.yaml sets on Lambda. Each run names the stand-ins it
 * has, then adds what is its own ({@link #with}).
 */
public final class FunctionEnvironment {

    private final Map<String, String> variables = new HashMap<>();

    private FunctionEnvironment() {
    }

    /** The tables of {@link MotoServer}, reached at {@code dynamoDbEndpoint}: moto_server itself or a proxy in front of it. */
    public static FunctionEnvironment onTables(String dynamoDbEndpoint) {
        return new FunctionEnvironment().with("TOKEN_TABLE", MotoServer.TOKEN_TABLE).with("IDEMPOTENCY_TABLE", MotoServer.REQUEST_TABLE)
                .with("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", dynamoDbEndpoint);
    }

    /** Zoom is the fake, and the app's client id and secret are plain variables. */
    public FunctionEnvironment zoom(ZoomFake zoom) {
        return zoomUrls(zoom).with("ZOOM_CLIENT_SECRET", ZoomFake.CLIENT_SECRET);
    }

    /**
     * Zoom is the fake, and the app's client secret and webhook secret token are in {@code secretArn}, one secret of the
     * Secrets Manager at {@code secretsManagerEndpoint}: none in the environment.
     */
    public FunctionEnvironment zoomWithSecret(ZoomFake zoom, String secretArn, String secretsManagerEndpoint) {
        return zoomUrls(zoom).with("ZOOM_CLIENT_SECRET_ID", secretArn).with("ZOOM_WEBHOOK_SECRET_ID", secretArn)
                .with("SECRETSMANAGER_ENDPOINT_OVERRIDE", secretsManagerEndpoint);
    }

    /** SQS, which holds back a queued request, at {@code endpoint}. */
    public FunctionEnvironment sqs(String endpoint) {
        return with("SQS_ENDPOINT_OVERRIDE", endpoint);
    }

    /** Outcome events go to {@link OutcomeEventBus#BUS} of the EventBridge at {@code endpoint}. */
    public FunctionEnvironment outcomeEvents(String endpoint) {
        return with("OUTCOME_EVENT_BUS", OutcomeEventBus.BUS).with("EVENTBRIDGE_ENDPOINT_OVERRIDE", endpoint);
    }

    /** One more variable, or another value for one already set. */
    public FunctionEnvironment with(String name, String value) {
        variables.put(name, value);
        return this;
    }

    public Map<String, String> variables() {
        return Map.copyOf(variables);
    }

    private FunctionEnvironment zoomUrls(ZoomFake zoom) {
        return with("ZOOM_API_URL", zoom.apiUrl()).with("ZOOM_OAUTH_URL", zoom.oauthUrl()).with("ZOOM_CLIENT_ID", ZoomFake.CLIENT_ID);
    }
}
