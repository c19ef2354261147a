package dev.zoomscheduler.exploration;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import dev.zoomscheduler.install.PendingInstall;
import dev.zoomscheduler.install.PendingInstallStore;

/** Pending installs in memory, with the conditions of DynamoDbPendingInstallStore: saved once, taken once, by one consumption. */
final class InMemoryPendingInstalls implements PendingInstallStore {

    private record Row(PendingInstall install, String consumedBy) {
    }

    private final Map<String, Row> rows = new HashMap<>();

    @Override
    public synchronized void save(PendingInstall install) {
        rows.putIfAbsent(install.stateHash(), new Row(install, null));
    }

    @Override
    public synchronized Consumption consume(String stateHash, Instant now, String consumptionId) {
        Row row = rows.get(stateHash);
        boolean unexpired = row != null && row.install().expiresAt().getEpochSecond() > now.getEpochSecond();
        if (unexpired && (row.consumedBy() == null || row.consumedBy().equals(consumptionId))) {
            rows.put(stateHash, new Row(row.install(), consumptionId));
            return new Consumption(row.install(), false);
        }
        return new Consumption(null, row != null && row.consumedBy() == null);
    }
}
