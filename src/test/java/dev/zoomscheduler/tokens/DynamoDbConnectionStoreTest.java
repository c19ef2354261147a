package dev.zoomscheduler.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.zoomscheduler.connections.ConnectionInfo;
import dev.zoomscheduler.testing.FixedTokenSettings;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.TokenTable;

/** Who a Zoom user authorised, as {@code app_deauthorized} asks: by the table's index on zoomUserId, or by a scan. */
class DynamoDbConnectionStoreTest {

    private final MotoServer moto = MotoServer.shared();
    private final TokenTable table = TokenTable.shared();
    private final String user = "user-" + UUID.randomUUID();

    @Test
    void theIndexAndTheScanFindTheSameConnectionsOfAUser() {
        String prefix = "deauth-" + UUID.randomUUID() + "-";
        seed(prefix + "first", user);
        seed(prefix + "second", user);
        seed(prefix + "other", "another-" + user);
        table.seed(prefix + "seeded-by-hand", "access", "refresh", 0); // no zoomUserId: neither finds it

        List<String> expected = List.of(prefix + "first", prefix + "second");
        assertEquals(expected, ids(store(Optional.of(MotoServer.USER_INDEX)).authorizedBy(user)), "by the index");
        assertEquals(expected, ids(store(Optional.empty()).authorizedBy(user)), "by a scan");
    }

    @Test
    void aConnectionTheIndexStillNamesButAnotherUserAuthorisedSinceIsNotFound() {
        String connectionId = "deauth-" + UUID.randomUUID();
        seed(connectionId, user);
        ConnectionStore byIndex = store(Optional.of(MotoServer.USER_INDEX));
        assertEquals(List.of(connectionId), ids(byIndex.authorizedBy(user)));

        // an index lags its table; the item itself decides, read consistently
        table.setString(connectionId, "zoomUserId", "another-" + user);
        assertEquals(List.of(), ids(byIndex.authorizedBy(user)));
        assertEquals(List.of(connectionId), ids(byIndex.authorizedBy("another-" + user)));
    }

    private void seed(String connectionId, String zoomUserId) {
        table.seed(connectionId, "access-" + connectionId, "refresh-" + connectionId, 0);
        table.setString(connectionId, "zoomUserId", zoomUserId);
    }

    private DynamoDbConnectionStore store(Optional<String> userIndex) {
        FixedTokenSettings settings = FixedTokenSettings.defaults(MotoServer.TOKEN_TABLE);
        return new DynamoDbConnectionStore(moto.client(), userIndex.map(settings::withUserIndex).orElse(settings));
    }

    private static List<String> ids(List<ConnectionInfo> connections) {
        return connections.stream().map(ConnectionInfo::connectionId).sorted().toList();
    }
}
