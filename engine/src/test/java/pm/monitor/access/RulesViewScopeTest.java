package pm.monitor.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.support.TestServer;

/**
 * The rules view's "never fired" is counted over the communities a token sees: a viewer of
 * C001 must not learn from it that a rule fired in C002.
 */
@Tag("server")
class RulesViewScopeTest {

    @Test
    @DisplayName("a rule fired only in C002 is 'never fired' for a viewer of C001 and fired for an unlimited viewer")
    @SuppressWarnings("unchecked")
    void neverFiredIsScoped() {
        try (TestServer server = TestServer.start("events")) {
            // C001's owner is contacted at once, C002's never: C002 has rules that C001 has not.
            var r = server.post("/api/events", String.join("\n",
                    AccessTest.complaint("a1", "C001", "T1", "2026-03-02T09:00:00+08:00"),
                    "{\"id\":\"a2\",\"type\":\"ticket.contacted\",\"at\":\"2026-03-02T09:10:00+08:00\",\"community\":\"C001\","
                            + "\"ticket\":\"T1\",\"by\":\"s1\"}",
                    AccessTest.complaint("b1", "C002", "U1", "2026-03-02T09:00:00+08:00")));
            assertEquals(3, TestServer.json(r).get("accepted"), r.body());
            assertEquals(200, server.post("/api/clock", "{\"until\":\"2026-03-03T12:00:00+08:00\"}").statusCode());
            server.drain();
            Set<String> onlyC2 = rules(server.findings("community=C002"));
            onlyC2.removeAll(rules(server.findings("community=C001")));
            assertFalse(onlyC2.isEmpty(), "the scenario has rules fired in C002 only");

            String viewer = server.app().access().create("v-all", Role.VIEWER, null, "test");
            String viewerC1 = server.app().access().create("v-c001", Role.VIEWER, List.of("C001"), "test");
            List<String> all = neverFiredEver(server, viewer);
            List<String> own = neverFiredEver(server, viewerC1);
            for (String rule : onlyC2) {
                assertFalse(all.contains(rule), rule + " fired (in C002) for an unlimited viewer");
                assertTrue(own.contains(rule), rule + " never fired in the communities a viewer of C001 sees");
            }
        }
    }

    private static Set<String> rules(List<Map<String, Object>> findings) {
        Set<String> out = new TreeSet<>();
        findings.forEach(f -> out.add((String) f.get("rule")));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> neverFiredEver(TestServer server, String token) {
        HttpResponse<String> r = server.request("GET", "/api/dashboard/rules?limit=500", null, "Authorization", "Bearer " + token);
        assertEquals(200, r.statusCode(), r.body());
        return (List<String>) TestServer.json(r).get("neverFiredEver");
    }
}
