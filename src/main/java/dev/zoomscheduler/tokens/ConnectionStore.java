package dev.zoomscheduler.tokens;

import java.util.List;
import java.util.Optional;

import dev.zoomscheduler.connections.ConnectionError;
import dev.zoomscheduler.connections.ConnectionInfo;
import dev.zoomscheduler.connections.ZoomIdentity;
import dev.zoomscheduler.tokens.TokenStore.WriteOutcome;

/**
 * The token table as connections are managed: created by an install, described without their tokens, revoked and
 * deleted. Writes follow the same rules as {@link TokenStore}: conditional on the version read, which they increment, and
 * named by a write id so that a repeat of a write whose answer was lost counts as the write itself.
 */
public interface ConnectionStore {

    /**
     * Stores the tokens of a new authorisation: creates the connection if {@code seenVersion} is 0 (and none exists), or
     * replaces its tokens, whatever chain it held (and its last error, and any pending event of the old chain's end), if it
     * is still at that version. {@code authorizationId} names the
     * install: it is the write's id, and the item keeps it while its chain is refreshed.
     */
    WriteOutcome storeAuthorized(String connectionId, long seenVersion, TokenGrant grant, ZoomIdentity identity, String authorizationId);

    /**
     * Removes the tokens and marks the connection revoked (the user removed the app at Zoom), if still at that version;
     * records {@code why} as its last error (null: keeps the one recorded, for a chain that was gone already) and, with
     * {@code eventPending}, that this occurrence's {@code Connection Needs Reauthorization} event is not published yet.
     */
    WriteOutcome markRevoked(String connectionId, long seenVersion, ConnectionError why, boolean eventPending, String writeId);

    /** Notes that the pending {@code Connection Needs Reauthorization} event was published, if the item is still at that version. */
    WriteOutcome noteReauthorizationAnnounced(String connectionId, long seenVersion, String writeId);

    /**
     * What a keep-alive run works on (a consistent scan that projects the tokens away): the active user connections whose
     * last token request is older than {@code refreshedBefore} (epoch seconds) or unknown, and every connection whose
     * {@code Connection Needs Reauthorization} event is pending.
     */
    List<ConnectionInfo> keepAliveCandidates(long refreshedBefore);

    /** Deletes the item if it is still at {@code seen.version()}. */
    Deletion delete(StoredToken seen);

    Optional<ConnectionInfo> describe(String connectionId);

    /** Up to {@code pageSize} connections after {@code startAfter} (a connection id, or null for the first page). */
    Page list(int pageSize, String startAfter);

    /** The connections that a Zoom user authorised (for {@code app_deauthorized}), each as a consistent read has it now. */
    List<ConnectionInfo> authorizedBy(String zoomUserId);

    /** @param nextStartAfter the connection id to continue after, or null if this was the last page */
    record Page(List<ConnectionInfo> connections, String nextStartAfter) {
    }

    /** What a conditional delete did. */
    enum Deletion {
        DELETED,
        /** The item changed since it was read: nothing was deleted. */
        CHANGED,
        /** No item was there any more: deleted meanwhile, or by this delete's own earlier attempt whose answer was lost. */
        GONE
    }
}
