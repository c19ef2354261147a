package dev.zoomscheduler.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.zoomscheduler.testing.AwsApiProxy;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.ZoomAndAws;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import dev.zoomscheduler.tokens.TokenRotation;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The SnapStart hooks on the application's own beans: the priming reads each table once, on a key that never exists,
 * and writes nothing; after either hook no access token is held, so the next request reads it from DynamoDB.
 */
@QuarkusTest
@QuarkusTestResource(ZoomAndAws.class)
class SnapStartHooksTest {

    @Inject
    SnapStartHooks hooks;
    @Inject
    TokenRotation rotation;

    final ZoomFake zoom = ZoomAndAws.zoom();
    final AwsApiProxy dynamo = ZoomAndAws.dynamo();

    @Test
    void primingReadsEachTableOnceAndWritesNothing() {
        dynamo.resetCounts();
        hooks.beforeCheckpoint(null);
        assertEquals(Map.of("GetItem", 2), dynamo.counts());
    }

    @Test
    void noAccessTokenIsHeldAfterEitherHook() {
        TokenTable.shared().seed("snapstart-hooks", zoom.authorize());
        rotation.accessToken("snapstart-hooks", java.time.Instant.now().plusSeconds(3600));
        dynamo.resetCounts();
        rotation.accessToken("snapstart-hooks", java.time.Instant.now().plusSeconds(3600));
        assertEquals(0, dynamo.total(), "held while warm");

        hooks.beforeCheckpoint(null);
        dynamo.resetCounts();
        rotation.accessToken("snapstart-hooks", java.time.Instant.now().plusSeconds(3600));
        assertEquals(Map.of("GetItem", 1), dynamo.counts(), "read again after the snapshot hook");

        hooks.afterRestore(null);
        dynamo.resetCounts();
        rotation.accessToken("snapstart-hooks", java.time.Instant.now().plusSeconds(3600));
        assertEquals(Map.of("GetItem", 1), dynamo.counts(), "and after the restore hook");
    }
}
