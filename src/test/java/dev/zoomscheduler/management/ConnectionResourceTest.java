package dev.zoomscheduler.management;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.zoomscheduler.testing.MotoServer;
import dev.zoomscheduler.testing.OutcomeEventBus;
import dev.zoomscheduler.testing.TokenTable;
import dev.zoomscheduler.testing.ZoomAndAws;
import dev.zoomscheduler.testing.zoom.ZoomFake;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** {@code GET /connections}, {@code GET /connections/{id}} and {@code DELETE /connections/{id}} against moto_server and the fake. */
@QuarkusTest
@QuarkusTestResource(ZoomAndAws.class)
class ConnectionResourceTest {

    final ZoomFake zoom = ZoomAndAws.zoom();
    final TokenTable table = TokenTable.shared();

    @Test
    void listsEveryConnectionPageByPageWithoutAnyToken() {
        String prefix = "listed-" + UUID.randomUUID() + "-";
        List<ZoomFake.Grant> grants = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ZoomFake.Grant grant = zoom.authorize();
            grants.add(grant);
            table.seed(prefix + i, grant);
        }

        List<String> seen = new ArrayList<>();
        String next = "";
        int pages = 0;
        do {
            Response page = given().queryParam("page_size", 2).queryParam("next_page_token", next).get("/connections");
            page.then().statusCode(200).contentType("application/json");
            for (ZoomFake.Grant grant : grants) {
                assertFalse(page.asString().contains(grant.accessToken()) || page.asString().contains(grant.refreshToken()));
            }
            seen.addAll(page.jsonPath().getList("connections.id"));
            next = page.jsonPath().getString("next_page_token");
            pages++;
        } while (!next.isEmpty() && pages < 1000);

        for (int i = 0; i < 3; i++) {
            assertTrue(seen.contains(prefix + i), prefix + i);
        }
        assertEquals(seen.size(), seen.stream().distinct().count(), "no connection twice");
        given().get("/connections/" + prefix + "0").then().statusCode(200).body("kind", equalTo("user"))
                .body("status", equalTo("active"));
    }

    @Test
    void deletingRevokesTheAuthorisationAtZoomThenDeletesTheItem() {
        String connection = "deleted-" + UUID.randomUUID();
        ZoomFake.Grant grant = zoom.authorize();
        table.seed(connection, grant);
        int revocations = zoom.revocationCount();

        given().delete("/connections/" + connection).then().statusCode(204);

        assertEquals(revocations + 1, zoom.revocationCount());
        assertTrue(table.item(connection).isEmpty());
        given().get("/connections/" + connection).then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("/problems/connection-not-found"));
        given().header("X-Zoom-Connection", connection).get("/meetings").then().statusCode(404);
        given().delete("/connections/" + connection).then().statusCode(404);
    }

    @Test
    void aConnectionWhoseChainIsDeadIsDeletedWithoutARevocation() {
        String connection = "dead-" + UUID.randomUUID();
        ZoomFake.Grant grant = zoom.authorize();
        table.seed(connection, grant);
        table.setStatus(connection, "reauthorization_required");
        int revocations = zoom.revocationCount();

        given().delete("/connections/" + connection).then().statusCode(204);

        assertEquals(revocations, zoom.revocationCount());
        assertTrue(table.item(connection).isEmpty());
    }

    @Test
    void whenZoomCannotRevokeTheConnectionIsKept() {
        String connection = "kept-" + UUID.randomUUID();
        ZoomFake.Grant grant = zoom.authorize();
        table.seed(connection, grant);
        zoom.failNext("POST", "/oauth/revoke", 1, 503, Map.of(), "{\"reason\":\"down\"}");

        given().delete("/connections/" + connection).then().statusCode(502).contentType("application/problem+json");

        assertEquals(grant.refreshToken(), table.string(connection, "refreshToken"), "kept, so the removal can be repeated");
        given().delete("/connections/" + connection).then().statusCode(204);
    }

    @Test
    void describesWhenEachConnectionWasLastRefreshedHereAndItsHealth() {
        String run = UUID.randomUUID().toString();
        String refreshed = "health-ok-" + run;
        table.seedExpired(refreshed, zoom.authorize());
        given().header("X-Zoom-Connection", refreshed).get("/meetings").then().statusCode(200);
        String seeded = "health-seeded-" + run;
        table.seed(seeded, zoom.authorize());
        String failing = "health-failing-" + run;
        table.seedExpired(failing, zoom.authorize());
        zoom.failNext("POST", "/oauth/token", 1, 503, Map.of(), "{\"reason\":\"Service unavailable\"}");
        given().header("X-Zoom-Connection", failing).get("/meetings").then().statusCode(502);
        String refused = "health-refused-" + run;
        ZoomFake.Grant dead = zoom.authorize();
        table.seedExpired(refused, dead);
        zoom.revoke(dead.chainId());
        OutcomeEventBus.Subscriber subscriber = new OutcomeEventBus(MotoServer.shared().endpoint()).subscribe(refused);
        given().header("X-Zoom-Connection", refused).get("/meetings").then().statusCode(409);
        given().header("X-Zoom-Connection", refused).get("/meetings").then().statusCode(409); // no second occurrence

        Response ok = given().get("/connections/" + refreshed);
        ok.then().statusCode(200).body("health", equalTo("ok")).body("$", not(hasKey("lastError")));
        Instant last = Instant.parse(ok.jsonPath().getString("lastRefreshedAt"));
        assertTrue(Duration.between(last, Instant.now()).abs().toSeconds() < 60, "ISO-8601 UTC, just now: " + last);
        given().get("/connections/" + seeded).then().body("health", equalTo("ok")).body("$", not(hasKey("lastRefreshedAt")));
        given().get("/connections/" + failing).then().body("status", equalTo("active")).body("health", equalTo("refresh_failing"))
                .body("lastError.reason", equalTo("zoom-unavailable")).body("lastError.when", notNullValue());
        given().get("/connections/" + refused).then().body("status", equalTo("reauthorization_required"))
                .body("health", equalTo("reauthorization_required")).body("lastError.reason", equalTo("refresh_token_refused"));
        assertEquals(1, subscriber.await(2, Duration.ofSeconds(3)).size(), "Connection Needs Reauthorization, once");
        boolean listed = false;
        String next = "";
        do {
            Response page = given().queryParam("page_size", 300).queryParam("next_page_token", next).get("/connections");
            for (Map<String, Object> connection : page.jsonPath().<Map<String, Object>>getList("connections")) {
                if (failing.equals(connection.get("id"))) {
                    listed = "refresh_failing".equals(connection.get("health"));
                }
            }
            next = page.jsonPath().getString("next_page_token");
        } while (!next.isEmpty() && !listed);
        assertTrue(listed, "GET /connections shows the health too");
    }

    /** API Gateway needs a Content-Length; a body larger than the REST layer's default 8 KiB buffer used to go out chunked. */
    @Test
    void aPageLargerThanEightKilobytesCarriesItsContentLength() {
        String prefix = "large-page-" + UUID.randomUUID() + "-";
        for (int i = 0; i < 80; i++) {
            table.seed(prefix + i, zoom.authorize());
        }
        Response page = given().queryParam("page_size", 300).get("/connections");
        page.then().statusCode(200).header("Transfer-Encoding", nullValue());
        int length = page.asByteArray().length;
        assertTrue(length > 8192, "a large page: " + length + " bytes");
        assertEquals(Integer.toString(length), page.header("Content-Length"));
    }

    @Test
    void badIdsAndPageParametersAreRefused() {
        given().get("/connections/no%20spaces").then().statusCode(400).contentType("application/problem+json");
        given().queryParam("page_size", 0).get("/connections").then().statusCode(400).body("errors[0].field", equalTo("page_size"));
        given().queryParam("page_size", "301").get("/connections").then().statusCode(400);
        given().queryParam("next_page_token", "!!!").get("/connections").then().statusCode(400)
                .body("errors[0].field", equalTo("next_page_token"));
    }
}
