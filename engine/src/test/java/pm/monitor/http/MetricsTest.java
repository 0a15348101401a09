package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.support.TestServer;

/** GET /metrics: Prometheus's text, whose counters move with what the service does; admins only once tokens exist. */
@Tag("server")
class MetricsTest {

    /** A valid complaint never contacted: the 2 h contact duty opens, and is breached when the clock passes it. */
    static final String EVENTS = String.join("\n",
            "{\"id\":\"m1\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\",\"kind\":\"complaint\",\"channel\":\"phone\",\"category\":\"service\",\"receivedBy\":\"a1\"}",
            "{\"id\":\"m2\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:05:00+08:00\",\"community\":\"C2\",\"ticket\":\"T2\",\"kind\":\"complaint\",\"channel\":\"phone\",\"category\":\"service\",\"receivedBy\":\"a1\"}",
            "{\"id\":\"m3\",\"type\":\"ticket.contacted\",\"at\":\"2026-03-02T09:10:00+08:00\",\"community\":\"C1\",\"ticket\":\"NOPE\",\"by\":\"s1\"}",
            "not json");

    /** The value of a sample line {@code name{labels} value}, labels in any order; 0 when absent. */
    static double value(String text, String name, String... labels) {
        double sum = 0;
        boolean seen = false;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$").matcher(text);
        while (m.find()) {
            String l = m.group(1) == null ? "" : m.group(1);
            boolean all = true;
            for (String want : labels) {
                all &= l.contains(want);
            }
            if (all) {
                sum += Double.parseDouble(m.group(2));
                seen = true;
            }
        }
        return seen ? sum : 0;
    }

    @Test
    @DisplayName("posting events moves ingest, rejection and finding counters; open duties, clock lag, pool, HTTP and calendar meters are there")
    void countersMove() {
        try (TestServer server = TestServer.start("events")) {
            HttpResponse<String> before = server.get("/metrics");
            assertEquals(200, before.statusCode(), before.body());
            assertTrue(before.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            String b = before.body();
            assertEquals(0, value(b, "monitor_events_accepted_total"));
            assertTrue(b.contains("hikaricp_connections"), "the database pool's meters");
            assertTrue(b.contains("jvm_memory_used_bytes"), "the JVM's meters");

            assertEquals(200, server.post("/api/events", EVENTS).statusCode());
            String mid = server.get("/metrics").body();
            assertEquals(2, value(mid, "monitor_events_accepted_total"), mid);
            assertEquals(1, value(mid, "monitor_events_rejected_total", "field=\"ticket\""));
            assertEquals(1, value(mid, "monitor_events_rejected_total", "field=\"line\""));
            assertTrue(value(mid, "monitor_open_duties", "community=\"C1\"") >= 1, "the contact duty is open");
            assertTrue(mid.contains("vertx_http_server_requests_total"), "Vert.x's HTTP meters");
            assertTrue(mid.contains("monitor_calendar_days_left{calendar=\"cn\"}"), "how long the calendar lasts");

            assertEquals(200, server.post("/api/events", EVENTS).statusCode()); // sent again: duplicates
            // the event clock passes both contact deadlines: violations
            assertEquals(200, server.request("POST", "/api/clock", "{\"until\":\"2026-03-02T12:00:00+08:00\"}",
                    "Content-Type", "application/json").statusCode());
            server.drain();
            String after = server.get("/metrics").body();
            assertEquals(2, value(after, "monitor_events_accepted_total"));
            assertEquals(2, value(after, "monitor_events_duplicates_total"));
            assertEquals(2, value(after, "monitor_findings_total", "rule=\"complaint.contact-2h\"", "kind=\"violation\""),
                    after.lines().filter(l -> l.startsWith("monitor_findings")).toList().toString());
            assertTrue(value(after, "monitor_findings_total", "kind=\"warning\"") >= 2, "the warnings at 75%");
            // C2's clock is the service's; C1's too (both moved by POST /api/clock): no lag
            assertEquals(0, value(after, "monitor_clock_lag_max_seconds"));
            assertTrue(after.contains("monitor_community_clock_lag_seconds{community=\"C1\"}"));
        }
    }

    @Test
    @DisplayName("once tokens exist, /metrics is for admin tokens: 401 without one, 403 for a viewer")
    void adminsOnly() {
        try (TestServer server = TestServer.start("events")) {
            String admin = (String) TestServer.json(server.request("POST", "/api/tokens",
                    "{\"name\":\"ops\",\"role\":\"admin\"}", "Content-Type", "application/json")).get("token");
            String viewer = (String) TestServer.json(server.request("POST", "/api/tokens",
                    "{\"name\":\"v\",\"role\":\"viewer\"}", "Content-Type", "application/json",
                    "Authorization", "Bearer " + admin)).get("token");
            assertEquals(401, server.get("/metrics").statusCode());
            assertEquals(403, server.request("GET", "/metrics", null, "Authorization", "Bearer " + viewer).statusCode());
            HttpResponse<String> ok = server.request("GET", "/metrics", null, "Authorization", "Bearer " + admin);
            assertEquals(200, ok.statusCode());
            assertTrue(ok.body().contains("monitor_events_accepted_total"));
        }
    }
}
