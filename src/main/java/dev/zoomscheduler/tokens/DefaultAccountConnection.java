package dev.zoomscheduler.tokens;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.zoomscheduler.connections.ConnectionIds;
import dev.zoomscheduler.connections.ConnectionInfo;


/**
 * {@code ZOOM_ACCOUNT_ID} makes the {@code default} connection a Server-to-Server OAuth connection of that account. It
 * exists without any item (the first token request creates one), and the configuration wins over what its item says.
 */
@ApplicationScoped
public class DefaultAccountConnection {

    private final Optional<String> accountId;

    public DefaultAccountConnection(@ConfigProperty(name = "zoom.account-id") Optional<String> accountId) {
        this.accountId = accountId.map(String::trim).filter(id -> !id.isEmpty());
    }

    /** Whether {@code connectionId} is the default connection made Server-to-Server by configuration. */
    public boolean governs(String connectionId) {
        return accountId.isPresent() && ConnectionIds.DEFAULT.equals(connectionId);
    }

    public Optional<String> accountId() {
        return accountId;
    }

    /** The item as the rotation protocol must see it. */
    public Optional<StoredToken> resolve(String connectionId, Optional<StoredToken> item) {
        if (!governs(connectionId)) {
            return item;
        }
        return Optional.of(item.map(found -> found.asAccount(accountId.get()))
                .orElseGet(() -> StoredToken.newAccountConnection(connectionId, accountId.get())));
    }

    /** The connection as it must be described: the same rule as {@link #resolve}, for a description. */
    public Optional<ConnectionInfo> describe(String connectionId, Optional<ConnectionInfo> found) {
        if (!governs(connectionId)) {
            return found;
        }
        return Optional.of(found.map(info -> info.asAccount(accountId.get()))
                .orElseGet(() -> ConnectionInfo.newAccountConnection(connectionId, accountId.get())));
    }
}
