package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.store.schema.Tables.API_TOKENS;
import static pm.monitor.store.schema.Tables.EVENTS;
import static pm.monitor.store.schema.Tables.ROSTER;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.support.TestServer;

/**
 * Issue 17.9: in open mode (a fresh install, no token) a page of another site must not change
 * anything — no roster webhook, no admin token, no events — while curl, the importer, the
 * benchmark and the dashboard's own pages keep working.
 */
@Tag("server")
class CrossSiteTest {
    private static TestServer server;
    private static final String ROSTER_ENTRY = "{\"community\":\"C1\",\"role\":\"supervisor\",\"name\":\"x\","
            + "\"channel\":\"webhook\",\"address\":\"https://attacker.example/hook\"}";
    private static final String ADMIN_TOKEN = "{\"name\":\"%s\",\"role\":\"admin\"}";
    private static final String EVENT = "{\"id\":\"%s\",\"type\":\"call.answered\",\"at\":\"2026-03-02T09:00:00+08:00\","
            + "\"community\":\"C1\",\"call\":\"K%s\",\"rings\":2}";

    @BeforeAll
    static void start() {
        server = TestServer.start("events");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> send(String method, String path, String body, String... headers) {
        return server.request(method, path, body, headers);
    }

    private static String self() {
        return "http://localhost:" + server.app().port();
    }

    private static int roster() {
        return server.app().database().dsl().fetchCount(ROSTER);
    }

    private static int tokens() {
        return server.app().database().dsl().fetchCount(API_TOKENS);
    }

    @Test
    @DisplayName("A text/plain or form POST from another site's page makes no roster webhook and no admin token (403, reason in Chinese and English)")
    void anotherSitesPageChangesNothing() {
        int roster = roster();
        int tokens = tokens();
        List<String[]> fromElsewhere = List.of(
                new String[] {"Origin", "https://attacker.example"},
                new String[] {"Origin", "http://localhost:1"},                  // another port is another site
                new String[] {"Origin", "http://127.0.0.1:" + server.app().port()}, // another host name
                new String[] {"Origin", "null"},                                 // a sandboxed frame, a file
                new String[] {"Referer", "https://attacker.example/page.html"},  // an older browser: no Origin
                new String[] {"Sec-Fetch-Site", "cross-site"});                  // Origin and Referer withheld
        for (String[] h : fromElsewhere) {
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/json")) {
                HttpResponse<String> r = send("POST", "/api/roster", ROSTER_ENTRY, h[0], h[1], "Content-Type", type);
                assertEquals(403, r.statusCode(), h[0] + ": " + h[1] + " " + type + " → " + r.body());
                Map<String, Object> body = TestServer.json(r);
                assertTrue(String.valueOf(body.get("en")).contains("cross-site request refused"), r.body());
                assertTrue(String.valueOf(body.get("zh")).contains("拒绝跨站请求"), r.body());
                assertEquals(403, send("POST", "/api/tokens", ADMIN_TOKEN.formatted("evil"), h[0], h[1],
                        "Content-Type", type).statusCode());
            }
            assertEquals(403, send("DELETE", "/api/roster/1", null, h[0], h[1]).statusCode());
            assertEquals(403, send("POST", "/api/events", EVENT.formatted("x1", "1"), h[0], h[1],
                    "Content-Type", "application/x-www-form-urlencoded").statusCode(), "events too: " + h[1]);
        }
        assertEquals(roster, roster(), "no webhook to an outside address");
        assertEquals(tokens, tokens(), "no admin token");
        assertFalse(server.app().access().enforced(), "still open: nobody else's token exists");
        assertEquals(0, server.app().database().dsl().fetchCount(EVENTS, EVENTS.ID.eq("x1")));
    }

    @Test
    @DisplayName("Without an Origin, a JSON endpoint takes JSON only: a text/plain, form or untyped body is 415")
    void jsonEndpointsTakeJsonOnly() {
        int roster = roster();
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null}) {
            List<String> h = new ArrayList<>();
            if (type != null) {
                h.add("Content-Type");
                h.add(type);
            }
            HttpResponse<String> r = send("POST", "/api/roster", ROSTER_ENTRY, h.toArray(String[]::new));
            assertEquals(415, r.statusCode(), type + " → " + r.body());
            assertTrue(r.body().contains("application/json") && r.body().contains("JSON"), r.body());
            assertEquals(415, send("POST", "/api/tokens", ADMIN_TOKEN.formatted("plain"), h.toArray(String[]::new))
                    .statusCode());
            assertEquals(415, send("PUT", "/api/alerts/settings", "{\"group.window\":\"1min\"}", h.toArray(String[]::new))
                    .statusCode());
        }
        assertEquals(roster, roster());
    }

    @Test
    @DisplayName("This service's own pages, curl, the importer and the benchmark keep working")
    void ownPagesAndClientsStillWork() {
        // the dashboard: same origin, JSON (alerts.html's fetch calls)
        HttpResponse<String> page = send("POST", "/api/roster", ROSTER_ENTRY.replace("attacker", "ours"),
                "Origin", self(), "Referer", self() + "/alerts.html", "Sec-Fetch-Site", "same-origin",
                "Content-Type", "application/json");
        assertEquals(201, page.statusCode(), page.body());
        Object id = TestServer.json(page).get("id");
        assertEquals(200, send("DELETE", "/api/roster/" + id, null, "Origin", self()).statusCode());
        // behind a proxy that keeps the public host in X-Forwarded-Host
        assertEquals(201, send("POST", "/api/roster", ROSTER_ENTRY.replace("attacker", "proxied"),
                "Origin", "https://monitor.example.com", "X-Forwarded-Host", "monitor.example.com",
                "Content-Type", "application/json; charset=utf-8").statusCode());
        // README: curl --data-binary @file /api/events sends application/x-www-form-urlencoded
        HttpResponse<String> curl = send("POST", "/api/events", EVENT.formatted("c1", "1"),
                "Content-Type", "application/x-www-form-urlencoded", "User-Agent", "curl/8.5.0", "Accept", "*/*");
        assertEquals(200, curl.statusCode(), curl.body());
        assertEquals(1, TestServer.json(curl).get("accepted"), curl.body());
        // the importer's --to and the benchmark: application/x-ndjson, or no type at all
        assertEquals(200, send("POST", "/api/events", EVENT.formatted("c2", "2"), "Content-Type", "application/x-ndjson")
                .statusCode());
        assertEquals(200, send("POST", "/api/events", EVENT.formatted("c3", "3")).statusCode());
        // README: curl -H 'Content-Type: application/json' -d '{"until":…}' /api/clock; a body-less POST and DELETE
        assertEquals(200, send("POST", "/api/clock", "{\"until\":\"2026-03-02T10:00:00+08:00\"}",
                "Content-Type", "application/json").statusCode());
        assertEquals(200, send("POST", "/api/rules/reload", null).statusCode());
        // reading is not changing: a GET from anywhere is answered (the browser keeps the answer from the page)
        assertEquals(200, send("GET", "/api/rules", null, "Origin", "https://attacker.example").statusCode());
    }
}
