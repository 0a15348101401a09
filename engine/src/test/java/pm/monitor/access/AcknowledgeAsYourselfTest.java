package pm.monitor.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.support.TestServer;

/**
 * Issue 19.5: one acknowledges as oneself (the logged-in token, never a typed name) and only
 * what the routing brought to a role one answers for; the inbox ({@code mine=true}) is the same
 * set. A complaint in C001 that nobody contacted is a violation for the supervisor; the same
 * ticket in the press is a major complaint for the general manager.
 */
@Tag("server")
class AcknowledgeAsYourselfTest {
    private static TestServer server;
    private static String manager;
    private static String gm;
    private static String contactAlert;
    private static String majorAlert;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() {
        server = TestServer.start("events", c -> c.withAccess("auto", 10_000, 10_000, 64 << 10));
        var r = server.post("/api/events", String.join("\n", AccessTest.complaint("a1", "C001", "T1", "2026-03-02T09:00:00+08:00"),
                "{\"id\":\"a2\",\"type\":\"ticket.flagged\",\"at\":\"2026-03-02T09:10:00+08:00\",\"community\":\"C001\","
                        + "\"ticket\":\"T1\",\"flag\":\"media\"}"));
        assertEquals(2, TestServer.json(r).get("accepted"), r.body());
        assertEquals(200, server.post("/api/clock", "{\"until\":\"2026-03-03T12:00:00+08:00\"}").statusCode());
        server.drain();
        TestServer.await("both alerts", Duration.ofSeconds(20), () -> {
            for (Map<String, Object> a : (List<Map<String, Object>>) TestServer.json(server.get("/api/alerts")).get("items")) {
                if (a.get("rule").equals("complaint.contact-2h")) {
                    contactAlert = (String) a.get("id");
                } else if (a.get("rule").equals("complaint.major")) {
                    majorAlert = (String) a.get("id");
                }
            }
            return contactAlert != null && majorAlert != null;
        });
        AccessService access = server.app().access();
        access.create("admin", Role.ADMIN, null, "test");
        manager = access.create("wang-c001", Role.MANAGER, List.of("C001"), "test");
        gm = access.create("gm", Role.MANAGER, null, List.of("general_manager"), "test");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> as(String token, String method, String path, String body) {
        return server.request(method, path, body, "Content-Type", "application/json", "Authorization", "Bearer " + token);
    }

    @Test
    @DisplayName("a manager cannot acknowledge in someone else's name; without a name it is the token's")
    void acknowledgerIsTheCaller() {
        var forged = as(manager, "POST", "/api/alerts/" + contactAlert + "/ack", "{\"by\":\"总经理本人\"}");
        assertEquals(400, forged.statusCode(), forged.body());
        assertTrue(forged.body().contains("wang-c001"), forged.body());
        var own = as(manager, "POST", "/api/alerts/" + contactAlert + "/ack", "{}");
        assertEquals(200, own.statusCode(), own.body());
        assertEquals("wang-c001", TestServer.json(own).get("ackedBy"));
        Map<String, Object> detail = TestServer.json(as(manager, "GET", "/api/alerts/" + contactAlert, null));
        assertEquals("wang-c001", detail.get("ackedBy"));
    }

    @Test
    @DisplayName("a community manager may not acknowledge the general manager's alert; the GM's own token may")
    void onlyWhatIsRoutedToYou() {
        var refused = as(manager, "POST", "/api/alerts/" + majorAlert + "/ack", "{}");
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(TestServer.json(refused).get("zh").toString().contains("公司总经理"), refused.body());
        assertEquals(false, TestServer.json(as(manager, "GET", "/api/alerts/" + majorAlert, null)).get("yours"));
        var byGm = as(gm, "POST", "/api/alerts/" + majorAlert + "/ack", "{}");
        assertEquals(200, byGm.statusCode(), byGm.body());
        assertEquals("gm", TestServer.json(byGm).get("ackedBy"));
    }

    @Test
    @DisplayName("mine=true is what one answers for: the supervisor's violation for the manager, the major complaint for the GM")
    @SuppressWarnings("unchecked")
    void inboxFollowsTheRouting() {
        Set<String> managers = ids(as(manager, "GET", "/api/alerts?mine=true", null));
        assertTrue(managers.contains(contactAlert), managers.toString());
        assertTrue(!managers.contains(majorAlert), managers.toString());
        var mine = as(gm, "GET", "/api/alerts?mine=true", null);
        Set<String> gms = ids(mine);
        assertTrue(gms.contains(majorAlert) && !gms.contains(contactAlert), gms.toString());
        for (Map<String, Object> a : (List<Map<String, Object>>) TestServer.json(mine).get("items")) {
            assertTrue(a.get("role").equals("general_manager") || a.get("currentRole").equals("general_manager"), a.toString());
        }
        Map<String, Object> me = TestServer.json(as(gm, "GET", "/api/me", null));
        assertNotNull(me.get("duties"));
    }

    @SuppressWarnings("unchecked")
    private static Set<String> ids(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return ((List<Map<String, Object>>) TestServer.json(r).get("items")).stream().map(a -> (String) a.get("id"))
                .collect(Collectors.toSet());
    }
}
