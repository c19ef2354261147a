package dev.zoomscheduler.startup;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.zoomscheduler.meetings.ZoomMeetingsClient;
import dev.zoomscheduler.outcomes.OutcomeBus;
import dev.zoomscheduler.secrets.SecretsManagerSecrets;
import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.StartupEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the DynamoDB client, the Zoom API client, (with OUTCOME_EVENT_BUS) the EventBridge client and (with a secret
 * id) the Secrets Manager client while Lambda initialises the function, instead of in its first invocation: the init
 * phase is what SnapStart snapshots, so with
 * SnapStart a restored instance starts with them built. No call is made: nothing about the network or the tables is
 * assumed at start-up. (With SnapStart, SnapStartHooks also reads both tables once before the snapshot.)
 */
@ApplicationScoped
public class ClientPriming {

    void onStart(@Observes StartupEvent start, DynamoDbClient dynamo, @RestClient ZoomMeetingsClient zoom, OutcomeBus outcomes,
            SecretsManagerSecrets secrets) {
        dynamo.serviceClientConfiguration();
        ClientProxy.unwrap(zoom);
        outcomes.enabled(); // makes the bean, which builds its client
        secrets.enabled(); // the same
    }
}
