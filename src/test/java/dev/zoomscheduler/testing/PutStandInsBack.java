package dev.zoomscheduler.testing;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.test.junit.callback.QuarkusTestAfterEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;

/**
 * After every {@code @QuarkusTest} method (and after its own {@code @AfterEach}), whatever it did to the shared
 * stand-ins is undone: the {@link TestClock} runs with the system's again, and the Zoom fake, the DynamoDB proxy and the
 * EventBridge proxy forget the faults not used up and Zoom's clock offset ({@link ZoomAndAws#putBack()}). So no test
 * class has to remember which of them it touched. Registered in
 * {@code META-INF/services/io.quarkus.test.junit.callback.QuarkusTestAfterEachCallback}.
 */
public class PutStandInsBack implements QuarkusTestAfterEachCallback {

    @Override
    public void afterEach(QuarkusTestMethodContext context) {
        ZoomAndAws.putBack();
        InstanceHandle<TestClock> clock = Arc.container().instance(TestClock.class);
        if (clock.isAvailable()) {
            clock.get().reset();
        }
    }
}
