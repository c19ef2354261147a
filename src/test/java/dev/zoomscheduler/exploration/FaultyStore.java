package dev.zoomscheduler.exploration;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Set;

import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * A store as an instance reaches DynamoDB over the network: every call is a step in virtual time, and as the schedule's
 * faults decide it fails before it takes effect, takes effect and loses its answer (the AWS SDK then sends the same request
 * again, which meets its own write), or takes effect after the call timed out; the instance may stop before or after the
 * effect.
 */
final class FaultyStore implements InvocationHandler {

    private static final long LATENCY_MILLIS = 8;
    /** DYNAMODB_CALL_TIMEOUT_MS: the SDK gives up on a call after this, whatever became of it. */
    private static final long CALL_TIMEOUT_MILLIS = 3000;
    /** Calls that change nothing: a lost answer is just a retry, a late one is just a timeout. */
    private static final Set<String> READS = Set.of("read", "describe", "list", "authorizedBy", "keepAliveCandidates", "holder", "of",
            "request");

    private final Object target;
    private final Simulation sim;
    private final Faults faults;

    private FaultyStore(Object target, Simulation sim, Faults faults) {
        this.target = target;
        this.sim = sim;
        this.faults = faults;
    }

    static <T> T of(Class<T> type, T target, Simulation sim, Faults faults) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, new FaultyStore(target, sim, faults)));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return method.invoke(target, args);
        }
        boolean write = !READS.contains(method.getName());
        Simulation.Actor actor = sim.current();
        actor.checkStop();
        int crashAt = faults.crash() ? (int) sim.below(2) : -1; // 0: before the call takes effect, 1: after
        if (crashAt == 0) {
            actor.stopAtNextStep("crash before " + method.getName());
        }
        Faults.Kind fate = faults.store(write);
        sim.trace(method.getName() + (fate == Faults.Kind.NONE ? "" : " " + fate) + (crashAt >= 0 ? " crash@" + crashAt : ""));
        switch (fate) {
            case FAIL_BEFORE -> {
                sim.spend(LATENCY_MILLIS);
                throw SdkClientException.create("injected: the request did not reach DynamoDB");
            }
            case LATE -> {
                sim.spend(CALL_TIMEOUT_MILLIS);
                if (write) {
                    sim.at(sim.now() + 1 + sim.below(1500), () -> call(method, args));
                }
                throw ApiCallTimeoutException.create(Duration.ofMillis(CALL_TIMEOUT_MILLIS).toMillis());
            }
            case LOST_ANSWER -> {
                sim.spend(LATENCY_MILLIS / 2);
                call(method, args);
                stopAfterEffect(actor, crashAt, method);
                sim.spend(LATENCY_MILLIS + 25); // the connection drops; the SDK backs off and sends the same request again
                Object again = call(method, args);
                sim.spend(LATENCY_MILLIS / 2);
                return again;
            }
            default -> {
                sim.spend(LATENCY_MILLIS / 2);
                Object result = call(method, args);
                stopAfterEffect(actor, crashAt, method);
                sim.spend(LATENCY_MILLIS / 2);
                return result;
            }
        }
    }

    private static void stopAfterEffect(Simulation.Actor actor, int crashAt, Method method) {
        if (crashAt == 1) {
            actor.stopAtNextStep("crash after " + method.getName());
        }
    }

    private Object call(Method method, Object[] args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
