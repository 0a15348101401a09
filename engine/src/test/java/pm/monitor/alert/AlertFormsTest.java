package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Json;
import pm.monitor.support.TestServer;

/**
 * Issue 19.7: the roster and silence forms refuse garbage — a community the monitor does not
 * know, a URL given as an e-mail address, a silence for a misspelt rule that would match
 * nothing — and a silence is by whoever is logged in.
 */
@Tag("server")
class AlertFormsTest {

    private static String roster(String community, String channel, String address) {
        return Json.write(Map.of("community", community, "role", "supervisor", "name", "王主管", "channel", channel,
                "address", address));
    }

    @Test
    @DisplayName("unknown communities, URLs as e-mail addresses and misspelt rules are refused; known ones pass")
    void garbageRefused() {
        try (TestServer server = TestServer.start("events")) {
            var r = server.post("/api/events", "{\"id\":\"a1\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:00:00+08:00\","
                    + "\"community\":\"C0001\",\"ticket\":\"T1\",\"kind\":\"complaint\",\"channel\":\"phone\","
                    + "\"household\":\"1-1-101\",\"category\":\"environment\",\"receivedBy\":\"a1\"}");
            assertEquals(1, TestServer.json(r).get("accepted"), r.body());
            server.drain();
            for (String body : new String[] {roster("C0001C0001", "email", "wang@wy.example"),
                    roster("C9999", "email", "wang@wy.example"), roster("C0001", "email", "http://wy.example/wang")}) {
                var x = server.request("POST", "/api/roster", body, "Content-Type", "application/json");
                assertEquals(400, x.statusCode(), body + " → " + x.body());
            }
            var ok = server.request("POST", "/api/roster", roster("C0001", "email", "wang@wy.example"), "Content-Type", "application/json");
            assertEquals(201, ok.statusCode(), ok.body());

            assertEquals(200, server.post("/api/clock", "{\"until\":\"2026-03-02T10:00:00+08:00\"}").statusCode());
            var misspelt = server.request("POST", "/api/silences", "{\"community\":\"C0001\",\"rule\":\"call.three-ring\","
                    + "\"reason\":\"线路检修\",\"author\":\"陈\",\"for\":\"2h\"}", "Content-Type", "application/json");
            assertEquals(400, misspelt.statusCode(), misspelt.body());
            assertTrue(misspelt.body().contains("matches no loaded rule"), misspelt.body());
            var unknown = server.request("POST", "/api/silences", "{\"community\":\"C9999\",\"rule\":\"*\","
                    + "\"reason\":\"r\",\"author\":\"陈\",\"for\":\"2h\"}", "Content-Type", "application/json");
            assertEquals(400, unknown.statusCode(), unknown.body());
            Object id = null;
            for (String rule : new String[] {"call.three-rings", "call.*", "*"}) {
                var good = server.request("POST", "/api/silences", "{\"community\":\"C0001\",\"rule\":\"" + rule + "\","
                        + "\"reason\":\"线路检修\",\"author\":\"陈\",\"for\":\"2h\"}", "Content-Type", "application/json");
                assertEquals(201, good.statusCode(), rule + ": " + good.body());
                id = TestServer.json(good).get("id");
            }
            // extended rather than made again; an ended one comes back
            var extended = server.request("PUT", "/api/silences/" + id, "{\"for\":\"1d\"}", "Content-Type", "application/json");
            assertEquals(200, extended.statusCode(), extended.body());
            assertEquals("2026-03-03T02:00:00Z", TestServer.json(extended).get("expiresAt"));
            assertEquals(200, server.request("DELETE", "/api/silences/" + id, null).statusCode());
            var renewed = server.request("PUT", "/api/silences/" + id, "{\"for\":\"2h\"}", "Content-Type", "application/json");
            assertEquals(200, renewed.statusCode(), renewed.body());
            assertEquals("2026-03-02T04:00:00Z", TestServer.json(renewed).get("expiresAt"));
        }
    }
}
