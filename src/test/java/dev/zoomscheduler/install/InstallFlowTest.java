package dev.zoomscheduler.install;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.zoomscheduler.problems.ProblemException;
import dev.zoomscheduler.problems.ProblemType;
import dev.zoomscheduler.testing.HttpApiEvents;
import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.ZoomAndAws;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The install flow end to end, as a browser goes through it: {@code GET /oauth/install}, Zoom's authorise page (the
 * strict fake: it issues a single-use code bound to the redirect URI), and the redirect back to {@code GET /oauth/callback}.
 */
@QuarkusTest
@QuarkusTestResource(ZoomAndAws.class)
class InstallFlowTest {

    @Inject
    Installation installation;

    final ZoomFake zoom = ZoomAndAws.zoom();
    final TokenTable table = TokenTable.shared();
    final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    String connection;

    @BeforeEach
    void name() {
        connection = "installed-" + UUID.randomUUID();
    }

    @Test
    void aUserInstallsTheAppAndTheNewConnectionSchedulesMeetings() throws Exception {
        URI authorize = install(connection);
        Map<String, String> query = HttpApiEvents.queryOf(authorize);
        assertTrue(authorize.toString().startsWith(zoom.oauthUrl() + "/oauth/authorize?"), authorize.toString());
        assertEquals("code", query.get("response_type"));
        assertEquals(ZoomFake.CLIENT_ID, query.get("client_id"));
        assertTrue(query.get("redirect_uri").endsWith("/oauth/callback"), query.get("redirect_uri"));
        assertTrue(query.get("state").matches("[A-Za-z0-9_-]{43}"), "256 random bits");

        Response page = callback(consent(authorize));

        page.then().statusCode(200).contentType(containsString("text/html")).body(containsString(connection));
        assertEquals("active", table.string(connection, "status"));
        assertEquals("user", table.string(connection, "kind"));
        assertEquals(1, table.number(connection, "version"));
        String accessToken = table.string(connection, "accessToken");
        given().header("X-Zoom-Connection", connection).contentType("application/json")
                .body("{\"topic\":\"First meeting\",\"type\":2,\"start_time\":\"2026-12-01T10:00:00Z\",\"duration\":30}")
                .post("/meetings").then().statusCode(201);
        assertEquals("Bearer " + accessToken, zoom.apiRequests().get(zoom.apiRequests().size() - 1).headers().get("authorization"));

        Response described = given().get("/connections/" + connection);
        described.then().statusCode(200).body("id", equalTo(connection)).body("kind", equalTo("user"))
                .body("status", equalTo("active")).body("zoom_account_id", equalTo(ZoomFake.USER_ACCOUNT_ID));
        assertNotNull(described.jsonPath().getString("zoom_user_id"));
        assertNotNull(described.jsonPath().getString("expires_at"));
        assertFalse(described.asString().contains(accessToken), "never a token");
        assertFalse(described.asString().contains(table.string(connection, "refreshToken")), "never a token");
    }

    @Test
    void aReplayedStateIsRefusedAndChangesNothing() throws Exception {
        URI back = consent(install(connection));
        callback(back).then().statusCode(200);
        long version = table.number(connection, "version");
        String refreshToken = table.string(connection, "refreshToken");
        int tokenRequests = zoom.tokenRequestCount();

        callback(back).then().statusCode(400).contentType(containsString("text/html")).body(containsString("already used"));
        given().accept("application/json").urlEncodingEnabled(false).get(back.getRawPath() + "?" + back.getRawQuery())
                .then().statusCode(400).contentType("application/problem+json").body("type", equalTo("/problems/install-state-invalid"));

        assertEquals(version, table.number(connection, "version"));
        assertEquals(refreshToken, table.string(connection, "refreshToken"));
        assertEquals(tokenRequests, zoom.tokenRequestCount(), "the code is not even sent to Zoom");
    }

    @Test
    void aForgedStateIsRefusedAndTheGenuineOneStillWorks() throws Exception {
        URI back = consent(install(connection));
        String code = HttpApiEvents.queryOf(back).get("code");
        String forged = back.toString().replaceAll("state=[^&]+", "state=" + "A".repeat(43));

        callback(URI.create(forged)).then().statusCode(400);
        given().urlEncodingEnabled(false).get((back.getRawPath() + "?" + back.getRawQuery()).replaceAll("state=[^&]+", "state=%3Cscript%3E"))
                .then().statusCode(400).body(containsString("no valid state")).body(not(containsString("<script>")));
        assertTrue(table.item(connection).isEmpty(), "nothing stored");

        callback(back).then().statusCode(200);
        assertNotNull(code);
        assertEquals("active", table.string(connection, "status"));
    }

    @Test
    void anExpiredStateIsRefused() throws Exception {
        String state = "E".repeat(43);
        MotoServer.shared().client().putItem(r -> r.tableName(MotoServer.REQUEST_TABLE).item(Map.of(
                "idempotencyKey", AttributeValue.fromS("oauth-state#" + Installation.hash(state)),
                "connectionId", AttributeValue.fromS(connection),
                "redirectUri", AttributeValue.fromS("http://localhost/oauth/callback"),
                "expiresAt", AttributeValue.fromN(Long.toString(System.currentTimeMillis() / 1000 - 1)))));

        given().get("/oauth/callback?code=whatever&state=" + state).then().statusCode(400).body(containsString("expired"));
        assertTrue(table.item(connection).isEmpty());
    }

    @Test
    void declinedConsentGetsAClearPageAndStoresNothing() throws Exception {
        zoom.denyNextConsent();
        URI back = consent(install(connection));
        assertEquals("access_denied", HttpApiEvents.queryOf(back).get("error"));

        callback(back).then().statusCode(403).contentType(containsString("text/html")).body(containsString("declined"));
        assertTrue(table.item(connection).isEmpty());
    }

    @Test
    void aCodeZoomRefusesStoresNothingAndUsesUpTheState() throws Exception {
        URI back = consent(install(connection));
        int invalidGrants = zoom.invalidGrantCount();

        callback(URI.create(back.toString().replaceAll("code=[^&]+", "code=not-a-code"))).then().statusCode(400)
                .body(containsString("refused the authorisation code"));

        assertEquals(invalidGrants + 1, zoom.invalidGrantCount());
        assertTrue(table.item(connection).isEmpty());
        callback(back).then().statusCode(400).body(containsString("already used"));
    }

    @Test
    void installingAgainReplacesALostChainUnderTheVersionProtocol() throws Exception {
        ZoomFake.Grant old = zoom.authorize();
        table.seed(connection, old);
        zoom.revoke(old.chainId());
        table.setStatus(connection, "reauthorization_required");
        given().get("/connections/" + connection).then().statusCode(200).body("status", equalTo("reauthorization_required"))
                .body("reauthorize_url", equalTo("/oauth/install?connection=" + connection));

        callback(consent(install(connection))).then().statusCode(200);

        assertEquals("active", table.string(connection, "status"));
        assertEquals(3, table.number(connection, "version"));
        assertNotEquals(old.refreshToken(), table.string(connection, "refreshToken"));
        given().header("X-Zoom-Connection", connection).get("/meetings").then().statusCode(200);
        given().get("/connections/" + connection).then().body("status", equalTo("active"))
                .body("$", not(hasKey("reauthorize_url")));
    }

    @Test
    void anInvalidConnectionNameIsRefusedBeforeAnyStateIsMade() {
        HttpApiEvents.Response answer = invoke(HttpApiEvents.request("GET", "/oauth/install?connection=no%20spaces%20allowed", Map.of()));
        assertEquals(400, answer.statusCode());
        assertEquals("application/problem+json", answer.header("Content-Type"));
        assertEquals("connection", JsonPath.from(answer.body()).getString("errors[0].field"));
    }

    @Test
    void anUnsignedCallerCannotStartAnInstallEvenIfTheRouteWereLeftPublic() throws Exception {
        ZoomFake.Grant alice = zoom.authorize();
        table.seed(connection, alice);
        long version = table.number(connection, "version");

        HttpApiEvents.Response answer = invoke(HttpApiEvents.unsigned("GET", "/oauth/install?connection=" + connection));
        given().redirects().follow(false).queryParam("connection", connection).get("/oauth/install")
                .then().statusCode(403).contentType("application/problem+json").body("type", equalTo("/problems/signed-request-required"));

        assertEquals(403, answer.statusCode());
        assertEquals("/problems/signed-request-required", JsonPath.from(answer.body()).getString("type"));
        assertEquals(null, answer.header("Location"), "no link to Zoom's consent page");
        assertEquals(version, table.number(connection, "version"));
        assertEquals(alice.refreshToken(), table.string(connection, "refreshToken"), "alice's chain is untouched");
    }

    @Test
    void anInstallThatReplacesAnotherUsersLiveChainRevokesItAfterStoringTheNewOne() throws Exception {
        ZoomFake.Grant alice = zoom.authorize("alice-" + UUID.randomUUID());
        table.seed(connection, alice);
        table.setString(connection, "zoomUserId", alice.userId());
        int revocations = zoom.revocationCount();

        callback(consent(install(connection))).then().statusCode(200);

        assertNotEquals(alice.refreshToken(), table.string(connection, "refreshToken"));
        assertNotEquals(alice.userId(), table.string(connection, "zoomUserId"), "the connection moved to the new user");
        assertEquals(revocations + 1, zoom.revocationCount(), "the replaced chain was revoked");
        assertFalse(zoom.isLive(alice.chainId()), "nothing of alice's authorisation is left dangling");
        given().header("X-Zoom-Connection", connection).get("/meetings").then().statusCode(200);
    }

    @Test
    void aCallbackWithTooLittleTimeLeftConsumesNothingAndTheSameLinkWorksLater() throws Exception {
        URI back = consent(install(connection));
        Map<String, String> redirect = HttpApiEvents.queryOf(back);
        int tokenRequests = zoom.tokenRequestCount();

        ProblemException hurried = assertThrows(ProblemException.class, () -> installation.complete(redirect.get("state"),
                redirect.get("code"), null, Instant.now().plusSeconds(2)));

        assertEquals(ProblemType.INVOCATION_TIME_SHORT, hurried.type());
        assertEquals(503, hurried.status());
        assertEquals(tokenRequests, zoom.tokenRequestCount(), "the code was not sent to Zoom");
        assertTrue(table.item(connection).isEmpty());
        callback(back).then().statusCode(200);
        assertEquals("active", table.string(connection, "status"));
    }

    @Test
    void anInstallWhoseStoreWasAnsweredLateKeepsTheChainItStoredAndRevokesNothing() throws Exception {
        // Zoom does not say who authorised (no user:read scope), and DynamoDB's answer to the store is lost: the SDK sends it again
        zoom.failNext("GET", "/v2/users/me", 1, 400, Map.of(),
                "{\"code\":4711,\"message\":\"Invalid access token, does not contain scopes:[user:read:user].\"}");
        ZoomAndAws.dynamo().loseAnswerNextMatching("UpdateItem", connection, 1);
        int revocations = zoom.revocationCount();

        callback(consent(install(connection))).then().statusCode(200);

        assertEquals(revocations, zoom.revocationCount(), "what the store's repeat found was its own write: nothing revoked");
        assertEquals("active", table.string(connection, "status"));
        table.setNumber(connection, "expiresAt", 0); // the next request refreshes: the stored chain must be live
        given().header("X-Zoom-Connection", connection).get("/meetings").then().statusCode(200);
    }

    @Test
    void theCallbacksLogLinesNameTheConnectionBeingInstalled() throws Exception {
        callback(consent(install(connection))).then().statusCode(200);

        List<String> stored = Files.readAllLines(Path.of("target/test-logs/quarkus-tests.log")).stream()
                .filter(line -> line.contains("Connection " + connection + " authorised")).toList();
        assertEquals(1, stored.size(), stored.toString());
        assertTrue(stored.get(0).contains("\"connectionId\":\"" + connection + "\""), "in its logging context: " + stored.get(0));
    }

    /** The operator's backend starts an install with a signed request (the IAM authorizer named in the event). */
    private URI install(String connectionId) {
        HttpApiEvents.Response answer = invoke(HttpApiEvents.request("GET", "/oauth/install"
                + (connectionId == null ? "" : "?connection=" + connectionId), Map.of()));
        assertEquals(302, answer.statusCode(), answer.body());
        assertEquals("no-store", answer.header("Cache-Control"));
        JsonPath body = JsonPath.from(answer.body());
        assertEquals(answer.header("Location"), body.getString("install_url"), "the same link, for a backend to hand on");
        Instant expiresAt = Instant.parse(body.getString("expires_at"));
        assertTrue(Duration.between(Instant.now(), expiresAt).abs().minus(Duration.ofSeconds(600)).abs().getSeconds() < 5,
                "expires after INSTALL_STATE_SECONDS: " + expiresAt);
        return URI.create(answer.header("Location"));
    }

    /** One raw API Gateway event through the real Lambda poll loop, and the function's answer as API Gateway reads it. */
    private static HttpApiEvents.Response invoke(String event) {
        return HttpApiEvents.parseResponse(given().body(event).post("/_lambda_").then().statusCode(200).extract().asString());
    }

    /** The user consents at Zoom's authorise page, which redirects the browser back to the callback. */
    private URI consent(URI authorize) throws Exception {
        HttpResponse<String> answer = browser.send(HttpRequest.newBuilder(authorize).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, answer.statusCode(), answer.body());
        return URI.create(answer.headers().firstValue("location").orElseThrow());
    }

    /** The browser follows Zoom's redirect to the callback (of this test's function, whatever host the event named). */
    private static Response callback(URI back) {
        return given().urlEncodingEnabled(false).get(back.getRawPath() + "?" + back.getRawQuery());
    }

}
