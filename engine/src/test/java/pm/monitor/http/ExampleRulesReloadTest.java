package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.support.Rules;
import pm.monitor.support.TestDatabase;
import pm.monitor.support.TestServer;

/**
 * Issue 18 "done when": the guide's two example rules, added to the folder of a running service
 * as docs/rules-guide.md says (no Java), go live with a reload and give their findings, under
 * their Chinese names, with C0002's override.
 */
@Tag("server")
class ExampleRulesReloadTest {

    private static String securityComplaint(String id, String community, String ticket, String at) {
        return "{\"id\":\"" + id + "\",\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"community\":\"" + community
                + "\",\"ticket\":\"" + ticket + "\",\"kind\":\"complaint\",\"channel\":\"phone\",\"household\":\"1-1-101\","
                + "\"category\":\"security\",\"receivedBy\":\"a1\"}";
    }

    private static String repair(String id, String ticket, String at) {
        return "{\"id\":\"" + id + "\",\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"community\":\"C0001\","
                + "\"ticket\":\"" + ticket + "\",\"kind\":\"repair\",\"channel\":\"phone\",\"household\":\"1-1-10" + id.length()
                + "\",\"building\":\"B1\",\"urgency\":\"normal\",\"location\":\"home\",\"receivedBy\":\"a1\"}";
    }

    @Test
    @DisplayName("the worked example reloads into a running service and gives its findings, named, with the per-community limit")
    void workedExampleGoesLive(@TempDir Path dir) throws Exception {
        Path rules = Rules.copyWith(dir, Map.of());
        try (TestServer server = TestServer.start(TestDatabase.freshSchemaUrl(), rules, "events")) {
            server.post("/api/events", securityComplaint("s0", "C0001", "S0", "2026-03-02T08:00:00+08:00"));
            server.post("/api/clock", "{\"until\":\"2026-03-02T08:10:00+08:00\"}");
            server.drain();

            pm.monitor.rules.RulesGuideTest.applyExample(rules);
            HttpResponse<String> live = server.post("/api/rules/reload", "");
            assertEquals("live", TestServer.json(live).get("status"), live.body());

            server.post("/api/events", securityComplaint("s1", "C0001", "S1", "2026-03-02T09:00:00+08:00"));
            server.post("/api/events", securityComplaint("s2", "C0002", "S2", "2026-03-02T09:00:00+08:00"));
            server.post("/api/events", repair("r1", "R1", "2026-03-02T09:05:00+08:00"));
            server.post("/api/events", repair("r22", "R2", "2026-03-03T09:05:00+08:00"));
            server.post("/api/events", repair("r333", "R3", "2026-03-04T09:05:00+08:00"));
            server.post("/api/clock", "{\"until\":\"2026-03-04T10:00:00+08:00\"}");
            server.drain();

            List<Map<String, Object>> v = server.findings("rule=complaint.security-contact&kind=violation");
            Map<String, Object> s1 = v.stream().filter(f -> f.get("subject").equals("S1")).findFirst().orElseThrow();
            Map<String, Object> s2 = v.stream().filter(f -> f.get("subject").equals("S2")).findFirst().orElseThrow();
            assertEquals("2026-03-02T01:30:00Z", s1.get("at"), "30 min in C0001");
            assertEquals("2026-03-02T01:15:00Z", s2.get("at"), "15 min in C0002, its section of parameters.conf");
            List<Map<String, Object>> alerts = server.findings("rule=repair.building-repeat&kind=alert");
            assertEquals(1, alerts.size(), alerts.toString());
            assertEquals("B1", alerts.get(0).get("subject"));
            assertEquals("engineering", alerts.get(0).get("notify"));
            @SuppressWarnings("unchecked")
            Map<String, Object> names = (Map<String, Object>) TestServer.json(server.get("/api/dashboard/labels?lang=zh")).get("rule");
            assertEquals("安全类投诉30分钟内联系业户", names.get("complaint.security-contact"));
            assertEquals("同一楼栋7天内3次报修", names.get("repair.building-repeat"));
        }
    }
}
