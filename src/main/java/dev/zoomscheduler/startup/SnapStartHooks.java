package dev.zoomscheduler.startup;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.jboss.logging.Logger;

import dev.zoomscheduler.idempotency.RequestStore;
import dev.zoomscheduler.secrets.SecretsManagerSecrets;
import dev.zoomscheduler.tokens.TokenRotation;
import dev.zoomscheduler.tokens.TokenStore;
import io.quarkus.runtime.StartupEvent;

/**
 * SnapStart (the JVM option) snapshots the initialised function once and restores copies of it for cold starts; the
 * runtime calls these hooks (CRaC) around the snapshot. They never run otherwise (native, or without SnapStart).
 * <ul>
 * <li>Before the snapshot: real work that holds no secret, so that a restored copy does not pay for it on its first
 * invocation: one read of each table on a key that can never exist (the SDK's request path, signing, TLS to
 * DynamoDB, our item mapping). Zoom is not called: a connection pooled in the snapshot would be dead after the
 * restore, and a create that fails on it cannot be retried safely.</li>
 * <li>Before the snapshot and after the restore: nothing secret or expiring is kept. The access tokens held and the
 * secrets read from Secrets Manager are dropped, so they are read after the restore, on first use (a secret may have
 * been rotated since the snapshot, and copies restored hours later must not share a token read at snapshot time). A
 * secret given as an environment variable is Lambda's to restore.</li>
 * </ul>
 */
@ApplicationScoped
public class SnapStartHooks implements Resource {

    private static final Logger LOG = Logger.getLogger(SnapStartHooks.class);
    /** Spaces are allowed in no connection id and no idempotency key: no item ever has this key. */
    static final String NEVER_A_KEY = "snapstart priming";

    private final TokenStore tokens;
    private final RequestStore requests;
    private final TokenRotation rotation;
    private final SecretsManagerSecrets secrets;

    public SnapStartHooks(TokenStore tokens, RequestStore requests, TokenRotation rotation, SecretsManagerSecrets secrets) {
        this.tokens = tokens;
        this.requests = requests;
        this.rotation = rotation;
        this.secrets = secrets;
    }

    /** CRaC holds resources weakly; this bean lives as long as the application. */
    void register(@Observes StartupEvent start) {
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long started = System.nanoTime();
        try {
            tokens.read(NEVER_A_KEY);
            requests.read(NEVER_A_KEY);
        } catch (RuntimeException e) {
            // Priming only saves time: a snapshot without it is still correct.
            LOG.warnf("SnapStart priming incomplete (%s)", e.getClass().getSimpleName());
        }
        forgetSecrets();
        LOG.infof("SnapStart: primed in %d ms, nothing secret held", (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        forgetSecrets();
    }

    private void forgetSecrets() {
        rotation.forgetAll();
        secrets.forgetAll();
    }
}
