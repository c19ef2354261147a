package dev.zoomscheduler.testing;

import java.util.UUID;

import dev.zoomscheduler.testing.zoom.ZoomFake;

/**
 * A connection of its own for one test: a new user of the Quarkus tests' Zoom fake ({@link ZoomAndAws#zoom()}) has
 * authorised the app, and its grant is seeded in the token table under a new id, its access token valid.
 *
 * @param id the connection's id, {@code prefix-<random UUID>}
 * @param grant what Zoom's token endpoint answered the user's authorisation
 */
public record AuthorizedConnection(String id, ZoomFake.Grant grant) {

    public static AuthorizedConnection seed(String prefix) {
        AuthorizedConnection connection = new AuthorizedConnection(prefix + "-" + UUID.randomUUID(), ZoomAndAws.zoom().authorize());
        TokenTable.shared().seed(connection.id(), connection.grant());
        return connection;
    }
}
