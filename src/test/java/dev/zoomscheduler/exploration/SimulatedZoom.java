package dev.zoomscheduler.exploration;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.zoomscheduler.install.ZoomUserClient;
import dev.zoomscheduler.meetings.ZoomMeetingsClient;
import dev.zoomscheduler.tokens.ZoomOAuthClient;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;

/**
 * Zoom as the explorer needs it: the OAuth endpoints with rotating refresh tokens (the old one dies when the new one is
 * issued; a user's newer authorisation ends the older ones), access tokens that expire, and the meetings API, reached
 * through the same client interfaces the function uses. Every call is a step in virtual time and, as the schedule's
 * faults decide, fails before it reaches Zoom, is refused (429), is carried out with its answer lost, or is carried out
 * after the caller stopped waiting (within the in-doubt window). It remembers what the invariants need: which answer
 * reached which instance, which refresh token was used twice, which request key each meeting was created for.
 */
final class SimulatedZoom {

    static final String CLIENT_ID = "explorer-client";
    static final String CLIENT_SECRET = "explorer-secret";
    private static final long TOKEN_LIFETIME_SECONDS = 3599;
    private static final long LATENCY_MILLIS = 60;
    /** The REST client's connect and read timeouts of the token endpoint: the caller gives up after them. */
    private static final long TOKEN_CALL_MILLIS = 8000;
    /** ZOOM_READ_TIMEOUT_MS and the answer margin ZoomCaller keeps before the deadline. */
    private static final long API_TIMEOUT_MILLIS = 10_000;
    private static final long ANSWER_MARGIN_MILLIS = 1000;
    private static final long IDENTIFY_TIMEOUT_MILLIS = 3000;

    private final Simulation sim;
    private final Faults faults;
    private final ObjectMapper json;
    private final Duration zoomClockSkew;
    /** The longest Zoom takes to carry out what the caller stopped waiting for: within the function's in-doubt period. */
    private final long lateWindowMillis;
    private final boolean userReadScope;
    private final boolean refreshEndsOlderAccessTokens;
    private final java.util.function.Consumer<String> refreshSent;
    private long sequence;

    private final Map<String, RefreshToken> refreshTokens = new HashMap<>();
    private final Map<String, Chain> chains = new LinkedHashMap<>();
    private final Map<String, Access> accessTokens = new HashMap<>();
    private final Map<String, Code> codes = new HashMap<>();
    private final Map<Long, ObjectNode> meetings = new LinkedHashMap<>();
    private final Map<Long, String> creatorKeys = new HashMap<>();
    /** Refresh tokens presented again after Zoom exchanged them: a second refresh of one token. */
    private final List<RefreshToken> reusedTokens = new ArrayList<>();

    /** A refresh token and what became of it. */
    static final class RefreshToken {
        final String value;
        final String chainId;
        boolean exchanged;
        /** The instance that received the answer issuing this token, or null if nobody did. */
        Object receivedBy;

        RefreshToken(String value, String chainId) {
            this.value = value;
            this.chainId = chainId;
        }
    }

    /** One authorisation: its current refresh token, and why it is dead if it is. */
    static final class Chain {
        final String id;
        final String userId;
        String liveRefreshToken;
        String deadBecause;

        Chain(String id, String userId) {
            this.id = id;
            this.userId = userId;
        }
    }

    private record Access(String chainId, String userId, long expiresAtMillis) {
    }

    private record Code(String userId, String redirectUri) {
    }

    /** What an OAuth call issued. */
    record Issued(String accessToken, String refreshToken, long expiresIn) {
    }

    /** @param refreshSent told of every refresh request as it leaves an instance (with the refresh token it carries) */
    SimulatedZoom(Simulation sim, Faults faults, ObjectMapper json, long lateWindowMillis, java.util.function.Consumer<String> refreshSent) {
        this.sim = sim;
        this.refreshSent = refreshSent;
        this.faults = faults;
        this.json = json;
        this.zoomClockSkew = Duration.ofMillis(sim.below(40_000) - 20_000);
        this.lateWindowMillis = lateWindowMillis;
        this.userReadScope = sim.chance(0.5);
        this.refreshEndsOlderAccessTokens = sim.chance(0.5);
    }

    // ---- what the explorer asks of Zoom directly (no faults) ------------------------------------------------------------

    /** A user authorises the app outside the function (a seeded connection): its first tokens, as Zoom issued them. */
    synchronized Issued authorizeDirectly(String userId) {
        Chain chain = newChain(userId);
        return issue(chain, null);
    }

    /** The user consents on Zoom's authorise page: the code Zoom sends back to the redirect URI. */
    synchronized String consent(String userId, String redirectUri) {
        String code = "code-" + (++sequence);
        codes.put(code, new Code(userId, redirectUri));
        return code;
    }

    synchronized Chain chainOfRefreshToken(String refreshToken) {
        RefreshToken token = refreshTokens.get(refreshToken);
        return token == null ? null : chains.get(token.chainId);
    }

    synchronized RefreshToken refreshToken(String value) {
        return refreshTokens.get(value);
    }

    /** How many of the chain's refresh tokens Zoom exchanged: the refreshes it carried out. */
    synchronized long refreshesOf(String chainId) {
        return refreshTokens.values().stream().filter(token -> token.chainId.equals(chainId) && token.exchanged).count();
    }

    /** Refresh tokens that were presented again after Zoom had exchanged them (invalid_grant). */
    synchronized List<RefreshToken> reusedTokens() {
        return List.copyOf(reusedTokens);
    }

    synchronized Map<Long, String> creatorKeys() {
        return new HashMap<>(creatorKeys);
    }

    synchronized ObjectNode meeting(long id) {
        ObjectNode meeting = meetings.get(id);
        return meeting == null ? null : meeting.deepCopy();
    }

    /** Someone edits the meeting at Zoom: the {@code meeting.updated} notification Zoom then sends, or null if it is gone. */
    synchronized ObjectNode edit(long id, String field, String value) {
        ObjectNode meeting = meetings.get(id);
        if (meeting == null) {
            return null;
        }
        meeting.put(field, value);
        ObjectNode notification = json.createObjectNode().put("event", "meeting.updated").put("event_ts", zoomNow().toEpochMilli());
        notification.putObject("payload").putObject("object").put("id", id).put(field, value);
        return notification;
    }

    // ---- the clients the function uses ------------------------------------------------------------------------------------

    ZoomOAuthClient oauthClient() {
        return new ZoomOAuthClient() {
            @Override
            public Response refresh(String basic, String grantType, String refreshToken) {
                refreshSent.accept(refreshToken);
                return tokenCall(() -> exchangeRefreshToken(basic, refreshToken));
            }

            @Override
            public Response accountCredentials(String basic, String grantType, String accountId) {
                return tokenCall(() -> oauthError(400, "unsupported_grant_type"));
            }

            @Override
            public Response authorizationCode(String basic, String grantType, String code, String redirectUri) {
                return tokenCall(() -> exchangeCode(basic, code, redirectUri));
            }

            @Override
            public Response revoke(String basic, String token) {
                return tokenCall(() -> revokeToken(basic, token));
            }
        };
    }

    ZoomMeetingsClient meetingsClient() {
        return new ZoomMeetingsClient() {
            @Override
            public Uni<Response> create(String authorization, String userId, byte[] meeting) {
                String key = sim.current().requestKey;
                return apiCall(API_TIMEOUT_MILLIS, true, authorization, caller -> createMeeting(caller, userId, meeting, key));
            }

            // The explored workload books single meetings: no call names an occurrence (the Zoom fake has them).
            @Override
            public Uni<Response> get(String authorization, String meetingId, String occurrenceId, Boolean showPreviousOccurrences) {
                return apiCall(API_TIMEOUT_MILLIS, false, authorization, caller -> getMeeting(meetingId));
            }

            @Override
            public Uni<Response> update(String authorization, String meetingId, String occurrenceId, byte[] changes) {
                return apiCall(API_TIMEOUT_MILLIS, true, authorization, caller -> updateMeeting(meetingId, changes));
            }

            @Override
            public Uni<Response> delete(String authorization, String meetingId, String occurrenceId) {
                return apiCall(API_TIMEOUT_MILLIS, true, authorization, caller -> deleteMeeting(meetingId));
            }

            @Override
            public Uni<Response> list(String authorization, String userId, String type, Integer pageSize, String nextPageToken, String from,
                    String to) {
                return apiCall(API_TIMEOUT_MILLIS, false, authorization, caller -> listMeetings(caller, userId, pageSize, nextPageToken));
            }
        };
    }

    ZoomUserClient userClient() {
        return authorization -> apiCall(IDENTIFY_TIMEOUT_MILLIS, false, authorization, this::me);
    }

    // ---- one call, with its fate ------------------------------------------------------------------------------------------

    /** What a caller of the token endpoint sees: the answer, a refused connection, a reset, or its read timeout. */
    private Response tokenCall(Supplier<Answer> atZoom) {
        Simulation.Actor actor = sim.current();
        Answer answer = fate("token", TOKEN_CALL_MILLIS, true, atZoom, () -> new ProcessingException(
                new SocketTimeoutException("injected: read timed out")), "{\"reason\":\"Too many requests\",\"error\":\"rate_limited\"}");
        delivered(answer, actor.instance); // it reached the instance: the tokens it carries are in that instance's hands
        return answer.response();
    }

    /** What ZoomCaller sees of an API call: the answer, a failure, or its own timeout (its wait is bounded by the deadline). */
    private Uni<Response> apiCall(long timeoutMillis, boolean changes, String authorization, java.util.function.Function<Access, Answer> atZoom) {
        return Uni.createFrom().item(() -> {
            long waitLimit = Math.min(timeoutMillis, sim.current().deadline() - ANSWER_MARGIN_MILLIS - sim.now());
            Supplier<Answer> effect = () -> {
                Access caller = authenticate(authorization);
                return caller == null ? error(401, 124, "Invalid access token.") : atZoom.apply(caller);
            };
            return fate("api", waitLimit, changes, effect, TimeoutException::new, "{\"code\":429,\"message\":\"Too many requests.\"}")
                    .response();
        });
    }

    /**
     * One call to Zoom, as the schedule's faults decide: refused on the way, refused by Zoom (429), carried out with its
     * answer lost, carried out after the caller waited {@code waitMillis} and gave up ({@code timedOut}), or answered.
     *
     * @param changes whether carrying it out changes anything (a late read is just a timeout)
     */
    private Answer fate(String what, long waitMillis, boolean changes, Supplier<Answer> atZoom, Supplier<RuntimeException> timedOut,
            String tooManyRequests) {
        Simulation.Actor actor = sim.current();
        actor.checkStop();
        crashMaybe(actor);
        Faults.Kind fate = faults.zoom();
        sim.trace("zoom " + what + " call " + fate);
        switch (fate) {
            case FAIL_BEFORE -> {
                sim.spend(LATENCY_MILLIS);
                throw new ProcessingException(new ConnectException("injected: connection refused"));
            }
            case REFUSED -> {
                sim.spend(LATENCY_MILLIS);
                return new Answer(new SimulatedResponse(429, tooManyRequests, Map.of("Retry-After", "1")), null);
            }
            case LOST_ANSWER -> {
                sim.spend(LATENCY_MILLIS / 2);
                atZoomNow(atZoom);
                sim.spend(LATENCY_MILLIS / 2);
                throw new ProcessingException(new SocketException("injected: connection reset"));
            }
            case LATE -> {
                sim.spend(Math.max(1, waitMillis));
                if (changes) {
                    sim.at(sim.now() + 1 + sim.below(lateWindowMillis), () -> atZoomNow(atZoom));
                }
                throw timedOut.get();
            }
            default -> {
                sim.spend(LATENCY_MILLIS / 2);
                Answer answer = atZoomNow(atZoom);
                sim.spend(LATENCY_MILLIS / 2); // the instance may stop here: then nobody heard the answer
                return answer;
            }
        }
    }

    private void crashMaybe(Simulation.Actor actor) {
        if (faults.crash()) {
            actor.stopAtNextStep("crash at Zoom");
        }
    }

    private synchronized Answer atZoomNow(Supplier<Answer> atZoom) {
        return atZoom.get();
    }

    /** The instance heard the answer: the tokens it issued are in that instance's hands. */
    private synchronized void delivered(Answer answer, Object instance) {
        if (answer.issuedRefreshToken() != null) {
            refreshTokens.get(answer.issuedRefreshToken()).receivedBy = instance;
        }
    }

    /** An answer, with the refresh token it issues if any (for {@link #delivered}). */
    private record Answer(Response response, String issuedRefreshToken) {
    }

    // ---- OAuth --------------------------------------------------------------------------------------------------------

    private Answer exchangeRefreshToken(String basic, String value) {
        if (!clientAuthorized(basic)) {
            return oauthError(401, "invalid_client");
        }
        RefreshToken token = refreshTokens.get(value);
        Chain chain = token == null ? null : chains.get(token.chainId);
        if (token == null || chain.deadBecause != null || !value.equals(chain.liveRefreshToken)) {
            if (token != null && token.exchanged) {
                reusedTokens.add(token);
            }
            return oauthError(400, "invalid_grant");
        }
        token.exchanged = true;
        sim.trace("zoom rotated " + value);
        if (refreshEndsOlderAccessTokens) {
            accessTokens.values().removeIf(access -> access.chainId().equals(chain.id));
        }
        Issued issued = issue(chain, value);
        return new Answer(tokens(issued), issued.refreshToken());
    }

    private Answer exchangeCode(String basic, String code, String redirectUri) {
        if (!clientAuthorized(basic)) {
            return oauthError(401, "invalid_client");
        }
        Code granted = codes.remove(code);
        if (granted == null || !granted.redirectUri().equals(redirectUri)) {
            return oauthError(400, "invalid_grant");
        }
        for (Chain older : chains.values()) {
            if (older.userId.equals(granted.userId()) && older.deadBecause == null) {
                older.deadBecause = "a newer authorisation of the same user"; // Zoom keeps only a user's latest
            }
        }
        Issued issued = issue(newChain(granted.userId()), null);
        return new Answer(tokens(issued), issued.refreshToken());
    }

    private Answer revokeToken(String basic, String token) {
        if (!clientAuthorized(basic)) {
            return oauthError(401, "invalid_client");
        }
        RefreshToken refresh = refreshTokens.get(token);
        Access access = accessTokens.get(token);
        Chain chain = refresh != null ? chains.get(refresh.chainId) : access != null ? chains.get(access.chainId()) : null;
        if (chain == null || chain.deadBecause != null || refresh != null && !token.equals(chain.liveRefreshToken)) {
            return oauthError(400, "invalid_token");
        }
        chain.deadBecause = "revoked";
        accessTokens.values().removeIf(each -> each.chainId().equals(chain.id));
        return new Answer(new SimulatedResponse(200, "", Map.of()), null);
    }

    private Chain newChain(String userId) {
        Chain chain = new Chain("chain-" + (++sequence), userId);
        chains.put(chain.id, chain);
        return chain;
    }

    private Issued issue(Chain chain, String exchanged) {
        String refresh = "rt-" + chain.id + "-" + (++sequence);
        String access = "at-" + chain.id + "-" + (++sequence);
        refreshTokens.put(refresh, new RefreshToken(refresh, chain.id));
        chain.liveRefreshToken = refresh;
        accessTokens.put(access, new Access(chain.id, chain.userId, sim.now() + TOKEN_LIFETIME_SECONDS * 1000));
        return new Issued(access, refresh, TOKEN_LIFETIME_SECONDS);
    }

    private Response tokens(Issued issued) {
        ObjectNode body = json.createObjectNode().put("access_token", issued.accessToken()).put("token_type", "bearer")
                .put("refresh_token", issued.refreshToken()).put("expires_in", issued.expiresIn()).put("scope", "meeting:write:meeting");
        return new SimulatedResponse(200, body.toString(), Map.of());
    }

    private Answer oauthError(int status, String error) {
        return new Answer(new SimulatedResponse(status, "{\"reason\":\"Invalid Token!\",\"error\":\"" + error + "\"}", Map.of()), null);
    }

    private static boolean clientAuthorized(String basic) {
        String expected = java.util.Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes());
        return ("Basic " + expected).equals(basic);
    }

    // ---- the meetings API ---------------------------------------------------------------------------------------------

    private Access authenticate(String authorization) {
        Access access = authorization == null ? null : accessTokens.get(authorization.replaceFirst("^Bearer ", ""));
        return access != null && access.expiresAtMillis() > sim.now() ? access : null;
    }

    private Answer me(Access caller) {
        if (!userReadScope) {
            return error(400, 4711, "Invalid access token, does not contain scopes:[user:read:user].");
        }
        return ok(200, json.createObjectNode().put("id", caller.userId()).put("account_id", "account-of-" + caller.userId()));
    }

    private Answer createMeeting(Access caller, String userId, byte[] body, String requestKey) {
        JsonNode request = parse(body);
        long id = 81_000_000_000L + (++sequence);
        ObjectNode meeting = json.createObjectNode();
        meeting.put("uuid", "uuid-" + id).put("id", id).put("host_id", "me".equals(userId) ? caller.userId() : userId);
        meeting.put("topic", request.path("topic").asText("Zoom Meeting")).put("type", request.path("type").asInt(2));
        meeting.put("start_time", request.path("start_time").asText(zoomNow().truncatedTo(ChronoUnit.SECONDS).toString()));
        meeting.put("duration", request.path("duration").asInt(60)).put("timezone", request.path("timezone").asText("UTC"));
        if (request.has("agenda")) {
            meeting.set("agenda", request.get("agenda"));
        }
        meeting.put("created_at", zoomNow().truncatedTo(ChronoUnit.SECONDS).toString());
        meeting.put("join_url", "https://zoom.example/j/" + id).put("start_url", "https://zoom.example/s/" + id + "?zak=secret");
        meeting.putObject("settings").put("waiting_room", false);
        meetings.put(id, meeting);
        creatorKeys.put(id, requestKey);
        return ok(201, meeting);
    }

    private Answer getMeeting(String id) {
        ObjectNode meeting = meetings.get(Long.parseLong(id));
        return meeting == null ? error(404, 3001, "Meeting does not exist: " + id + ".") : ok(200, meeting);
    }

    private Answer updateMeeting(String id, byte[] changes) {
        ObjectNode meeting = meetings.get(Long.parseLong(id));
        if (meeting == null) {
            return error(404, 3001, "Meeting does not exist: " + id + ".");
        }
        meeting.setAll((ObjectNode) parse(changes));
        return new Answer(new SimulatedResponse(204, "", Map.of()), null);
    }

    private Answer deleteMeeting(String id) {
        return meetings.remove(Long.parseLong(id)) == null ? error(404, 3001, "Meeting does not exist: " + id + ".")
                : new Answer(new SimulatedResponse(204, "", Map.of()), null);
    }

    private Answer listMeetings(Access caller, String userId, Integer pageSize, String nextPageToken) {
        String host = "me".equals(userId) ? caller.userId() : userId;
        List<ObjectNode> hosted = meetings.values().stream().filter(m -> host.equals(m.path("host_id").asText())).toList();
        int size = pageSize == null ? 30 : pageSize;
        int offset = nextPageToken == null || nextPageToken.isEmpty() ? 0 : Integer.parseInt(nextPageToken);
        ObjectNode page = json.createObjectNode().put("page_size", size).put("total_records", hosted.size())
                .put("next_page_token", offset + size < hosted.size() ? Integer.toString(offset + size) : "");
        ArrayNode listed = page.putArray("meetings");
        for (ObjectNode meeting : hosted.subList(Math.min(offset, hosted.size()), Math.min(offset + size, hosted.size()))) {
            ObjectNode summary = listed.addObject();
            for (String field : List.of("uuid", "id", "host_id", "topic", "type", "start_time", "duration", "timezone", "agenda",
                    "created_at", "join_url")) {
                if (meeting.has(field)) {
                    summary.set(field, meeting.get(field));
                }
            }
        }
        return ok(200, page);
    }

    private Instant zoomNow() {
        return Instant.ofEpochMilli(sim.now()).plus(zoomClockSkew);
    }

    private JsonNode parse(byte[] body) {
        try {
            return json.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Answer ok(int status, JsonNode body) {
        return new Answer(new SimulatedResponse(status, body.toString(), Map.of()), null);
    }

    private Answer error(int status, int code, String message) {
        return new Answer(new SimulatedResponse(status, json.createObjectNode().put("code", code).put("message", message).toString(),
                Map.of()), null);
    }
}
