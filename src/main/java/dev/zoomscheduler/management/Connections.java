package dev.zoomscheduler.management;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.zoomscheduler.connections.ConnectionIds;
import dev.zoomscheduler.connections.ConnectionInfo;
import dev.zoomscheduler.connections.ConnectionKind;
import dev.zoomscheduler.connections.ConnectionStatus;
import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.tokens.ConnectionStore;
import dev.zoomscheduler.tokens.DefaultAccountConnection;
import dev.zoomscheduler.tokens.RefreshBudget;
import dev.zoomscheduler.tokens.StoredToken;
import dev.zoomscheduler.tokens.TokenRotation;
import dev.zoomscheduler.tokens.TokenStore;
import dev.zoomscheduler.tokens.ZoomTokenEndpoint;

/**
 * Connection management: descriptions (never a token) and removal. The {@code default} connection of
 * {@code ZOOM_ACCOUNT_ID} is described even before it has an item, as the configuration defines it.
 */
@ApplicationScoped
public class Connections {

    private static final Logger LOG = Logger.getLogger(Connections.class);
    private static final int REMOVE_ATTEMPTS = 5;

    private final ConnectionStore store;
    private final TokenStore tokens;
    private final DefaultAccountConnection defaultAccount;
    private final ZoomTokenEndpoint oauth;
    private final TokenRotation rotation;
    private final RefreshBudget budget;
    private final Clock clock;

    public Connections(ConnectionStore store, TokenStore tokens, DefaultAccountConnection defaultAccount, ZoomTokenEndpoint oauth,
            TokenRotation rotation, RefreshBudget budget, Clock clock) {
        this.budget = budget;
        this.clock = clock;
        this.store = store;
        this.tokens = tokens;
        this.defaultAccount = defaultAccount;
        this.oauth = oauth;
        this.rotation = rotation;
    }

    public ConnectionInfo describe(String connectionId) {
        return defaultAccount.describe(connectionId, store.describe(connectionId)).orElseThrow(() -> notFound(connectionId));
    }

    public ConnectionStore.Page list(int pageSize, String startAfter) {
        ConnectionStore.Page page = store.list(pageSize, startAfter);
        List<ConnectionInfo> described = new ArrayList<>();
        page.connections().forEach(found -> described.add(defaultAccount.describe(found.connectionId(), Optional.of(found)).orElseThrow()));
        boolean firstPage = startAfter == null;
        String defaultId = ConnectionIds.DEFAULT;
        if (firstPage && defaultAccount.governs(defaultId)
                && described.stream().noneMatch(found -> found.connectionId().equals(defaultId))
                && store.describe(defaultId).isEmpty()) {
            described.add(0, defaultAccount.describe(defaultId, Optional.empty()).orElseThrow());
        }
        return new ConnectionStore.Page(described, page.nextStartAfter());
    }

    /**
     * Revokes the connection's authorisation at Zoom, then deletes its item with a write conditional on the version read.
     * If a refresh rotated the tokens in between, the delete fails, and the new refresh token is revoked in turn. A delete
     * that finds the item gone (its own earlier attempt whose answer was lost, or a removal racing it) has succeeded. A token
     * Zoom no longer knows needs no revocation; Zoom failing to answer keeps the item, so the removal can be repeated. A
     * revocation begins only if the invocation can wait out its full timeout and the delete after it.
     */
    public void remove(String connectionId, Instant deadline) {
        for (int attempt = 1; attempt <= REMOVE_ATTEMPTS; attempt++) {
            Optional<StoredToken> item = tokens.read(connectionId);
            if (item.isEmpty()) {
                if (defaultAccount.governs(connectionId)) {
                    return; // nothing stored: the configured connection stays as configuration defines it
                }
                throw notFound(connectionId);
            }
            StoredToken found = defaultAccount.resolve(connectionId, item).orElseThrow();
            String token = found.kind() == ConnectionKind.ACCOUNT ? found.accessToken() : found.refreshToken();
            if (!budget.fits(clock.instant(), deadline, budget.tokenCall().plus(budget.store()))) {
                throw new ProblemException(ProblemType.INVOCATION_TIME_SHORT, 503, "Too little of this invocation's time is left to"
                        + " revoke and delete connection '" + connectionId + "'; try again.", null, null, Duration.ofSeconds(1));
            }
            boolean revoked = token != null && !token.isEmpty() && found.status() == ConnectionStatus.ACTIVE && oauth.revoke(token);
            ConnectionStore.Deletion deletion = store.delete(found);
            if (deletion != ConnectionStore.Deletion.CHANGED) {
                // GONE: the repeat of a delete whose answer was lost, or a removal racing this one; either way it is done
                rotation.forget(connectionId);
                LOG.infof("Connection %s deleted (%s at Zoom)", connectionId, revoked ? "authorisation revoked" : "nothing left to revoke");
                return;
            }
        }
        throw new ProblemException(ProblemType.TOKEN_REFRESH_BUSY, "Connection '" + connectionId
                + "' kept changing while it was being deleted; try again.");
    }

    private static ProblemException notFound(String connectionId) {
        return new ProblemException(ProblemType.CONNECTION_NOT_FOUND, "No Zoom connection '" + connectionId + "' exists.");
    }
}
