package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.support.TestServer;

/** One error shape for the whole API: JSON {error, detail}, an unknown path included; a database failure is 503 on every route. */
@Tag("server")
class ErrorShapeTest {

    static Map<String, Object> error(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.uri() + ": " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.uri() + ": "
                + r.headers().firstValue("Content-Type"));
        Map<String, Object> body = TestServer.json(r);
        assertTrue(body.get("error") instanceof String s && !s.isBlank(), r.uri() + ": " + r.body());
        assertTrue(body.get("detail") instanceof String s && !s.isBlank(), r.uri() + ": " + r.body());
        return body;
    }

    @Test
    @DisplayName("an unknown /api path, any method, with or without a token: JSON 404 naming the request and /api/openapi.json")
    void unknownPaths() {
        try (TestServer server = TestServer.start("events")) {
            for (String[] call : new String[][] {{"GET", "/api/nosuch"}, {"POST", "/api/nosuch"}, {"GET", "/api/findings/extra"},
                    {"DELETE", "/api/findings"}, {"GET", "/api/"}, {"PUT", "/api/dashboard/overview/x"}}) {
                Map<String, Object> body = error(server.request(call[0], call[1], call[0].equals("GET") ? null : "{}",
                        "Content-Type", "application/json"), 404);
                String detail = (String) body.get("detail");
                assertTrue(detail.startsWith(call[0] + " " + call[1] + " → 404"), detail);
                assertTrue(detail.contains("/api/openapi.json"), detail);
            }
            String admin = (String) TestServer.json(server.request("POST", "/api/tokens",
                    "{\"name\":\"ops\",\"role\":\"admin\"}", "Content-Type", "application/json")).get("token");
            error(server.request("GET", "/api/nosuch", null, "Authorization", "Bearer " + admin), 404);
            error(server.get("/api/nosuch"), 404);
            // the other errors have the same shape: a bad parameter, no token
            error(server.request("GET", "/api/findings?from=yesterday", null, "Authorization", "Bearer " + admin), 400);
            error(server.get("/api/findings"), 401);
        }
    }

    @Test
    @DisplayName("a person's mistakes are refused with the reason in Chinese and English, each on its own (issue 19.8)")
    void reasonsInBothLanguages() {
        java.util.regex.Pattern cjk = java.util.regex.Pattern.compile("[\\u3400-\\u9fff]");
        try (TestServer server = TestServer.start("events")) {
            server.post("/api/events", "{\"id\":\"e1\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:00:00+08:00\","
                    + "\"community\":\"C001\",\"ticket\":\"T1\",\"kind\":\"complaint\",\"channel\":\"phone\","
                    + "\"category\":\"environment\",\"receivedBy\":\"a1\"}");
            List<String[]> calls = List.of(
                    new String[] {"GET", "/api/dashboard/tickets/C001/T404", null, "404"},
                    new String[] {"GET", "/api/dashboard/tickets?community=C001&kpi=kpi.timeliness&period=2026-13", null, "400"},
                    new String[] {"POST", "/api/silences", "{\"rule\":\"call.three-ring\",\"for\":\"2h\",\"reason\":\"测试\"}", "400"},
                    new String[] {"POST", "/api/silences", "{\"rule\":\"*\",\"reason\":\"测试\"}", "400"},
                    new String[] {"POST", "/api/roster", "{\"community\":\"C001\",\"role\":\"supervisor\",\"name\":\"王\","
                            + "\"channel\":\"email\",\"address\":\"https://x.example\"}", "400"},
                    new String[] {"POST", "/api/events", "", "400"},
                    new String[] {"GET", "/api/deliveries/abc", null, "400"}, new String[] {"GET", "/api/alerts/abc", null, "404"});
            for (String[] call : calls) {
                HttpResponse<String> r = server.request(call[0], call[1], call[2], "Content-Type", "application/json");
                Map<String, Object> body = error(r, Integer.parseInt(call[3]));
                assertTrue(body.get("zh") instanceof String zh && cjk.matcher(zh).find(), call[1] + ": no Chinese reason: " + r.body());
                assertTrue(body.get("en") instanceof String en && !cjk.matcher(en).find() && en.matches(".*[A-Za-z]{3,}.*"),
                        call[1] + ": no English reason: " + r.body());
            }
        }
    }

    @Test
    @DisplayName("the database failing answers 503 with the same reason, a ref and Retry-After on every route (reload was 500)")
    void databaseFailureIsOneStatus() throws Exception {
        try (TestServer server = TestServer.start("events")) {
            String schema = server.dbUrl().replaceAll(".*currentSchema=([A-Za-z0-9_]+).*", "$1");
            try (Connection c = DriverManager.getConnection(server.dbUrl()); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
            List<HttpResponse<String>> answers = List.of(server.get("/api/findings"), server.get("/api/rules/versions"),
                    server.get("/api/audit"), server.get("/api/alerts"), server.get("/api/review"),
                    server.get("/api/roster"), server.get("/api/deliveries"), server.get("/api/tokens"),
                    server.request("POST", "/api/rules/reload", null));
            Object reason = null;
            for (HttpResponse<String> r : answers) {
                Map<String, Object> body = error(r, 503);
                assertTrue(r.headers().firstValue("Retry-After").isPresent(), r.uri().toString());
                assertTrue(String.valueOf(body.get("detail")).contains("ref " + body.get("ref")), r.body());
                assertTrue(reason == null || reason.equals(body.get("error")), r.uri() + " says " + body.get("error")
                        + ", the others " + reason);
                reason = body.get("error");
                assertTrue(String.valueOf(reason).contains("database is unavailable"), r.body());
            }
        }
    }
}
