package dev.zoomscheduler;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.zoomscheduler.meetings.ZoomMeetingsClient;
import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.StartupEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the DynamoDB client and the Zoom API client while Lambda initialises the function, instead of in its first
 * invocation: the init phase is what SnapStart snapshots, so with SnapStart a restored instance starts with both built.
 * No call is made: nothing about the network or the tables is assumed at start-up. (With SnapStart, SnapStartHooks
 * also reads both tables once before the snapshot.)
 */
@ApplicationScoped
public class ClientPriming {

    void onStart(@Observes StartupEvent start, DynamoDbClient dynamo, @RestClient ZoomMeetingsClient zoom) {
        dynamo.serviceClientConfiguration();
        ClientProxy.unwrap(zoom);
    }
}
