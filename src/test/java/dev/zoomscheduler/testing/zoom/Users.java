package dev.zoomscheduler.testing.zoom;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Zoom's users: each has an email, by which the meeting routes also name them, and belongs to an account. */
final class Users {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> emails = new ConcurrentHashMap<>();

    void add(String userId, String email) {
        emails.put(userId, email);
    }

    void addIfAbsent(String userId, String email) {
        emails.putIfAbsent(userId, email);
    }

    String email(String userId) {
        return emails.get(userId);
    }

    /** The user a meeting route names ({@code me}: the caller; else an id or an email), or null if Zoom has none. */
    String resolve(OAuthServer.AccessToken caller, String userIdOrEmail) {
        if (userIdOrEmail.equals("me")) {
            return caller.userId();
        }
        if (emails.containsKey(userIdOrEmail)) {
            return userIdOrEmail;
        }
        return emails.entrySet().stream().filter(user -> user.getValue().equalsIgnoreCase(userIdOrEmail)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    /** {@code GET /v2/users/me}: a user of a Server-to-Server token is in that token's account. */
    Answer me(OAuthServer.AccessToken caller) {
        return Answer.json(200, JSON.createObjectNode()
                .put("id", caller.userId())
                .put("email", emails.get(caller.userId()))
                .put("type", 2)
                .put("account_id", caller.accountId() != null ? caller.accountId() : ZoomFake.USER_ACCOUNT_ID));
    }
}
