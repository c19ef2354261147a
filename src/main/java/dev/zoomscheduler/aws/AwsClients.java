package dev.zoomscheduler.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import software.amazon.awssdk.core.client.builder.SdkClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The AWS clients the function builds itself (EventBridge, SQS, Secrets Manager; DynamoDB's comes from the Quarkus
 * extension), all alike: the URL-connection HTTP client (small, native-ready, nothing pooled to go stale), each call bounded,
 * and an endpoint override for a local emulator.
 */
public final class AwsClients {

    private AwsClients() {
    }

    /** @param callTimeout the longest one call may take, the SDK's retries included; null: the SDK's own */
    public static <B extends SdkClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(B builder, Optional<String> endpointOverride,
            Duration callTimeout) {
        builder.httpClient(UrlConnectionHttpClient.create());
        if (callTimeout != null) {
            builder.overrideConfiguration(o -> o.apiCallTimeout(callTimeout));
        }
        endpointOverride.map(String::trim).filter(endpoint -> !endpoint.isEmpty()).ifPresent(endpoint -> builder.endpointOverride(URI.create(endpoint)));
        return builder.build();
    }
}
