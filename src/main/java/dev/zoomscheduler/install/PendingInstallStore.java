package dev.zoomscheduler.install;

import java.time.Instant;

/**
 * Where pending installs wait for their callback. Each can be consumed once, and only before it expires. Both writes may
 * be sent twice (a lost answer, and the SDK's retry): each recognises its own earlier attempt.
 */
public interface PendingInstallStore {

    void save(PendingInstall install);

    /**
     * Takes the pending install of {@code stateHash}, if it exists, has not expired at {@code now} and was not taken
     * before, unless by this same consumption ({@code consumptionId}) whose answer was lost.
     */
    Consumption consume(String stateHash, Instant now, String consumptionId);

    /** @param install the install consumed, or null if none was ({@code expired} says whether one existed but had run out) */
    record Consumption(PendingInstall install, boolean expired) {
    }
}
