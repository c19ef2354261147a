package dev.zoomscheduler.connections;

import java.time.Instant;

/** Where pending installs wait for their callback. Each can be consumed once, and only before it expires. */
public interface PendingInstallStore {

    void save(PendingInstall install);

    /** Removes and returns the pending install of {@code stateHash}, if it exists and has not expired at {@code now}. */
    Consumption consume(String stateHash, Instant now);

    /** @param install the install consumed, or null if none was ({@code expired} says whether one existed but had run out) */
    record Consumption(PendingInstall install, boolean expired) {
    }
}
