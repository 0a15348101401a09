package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Json;
import pm.monitor.support.Rules;
import pm.monitor.support.TestServer;
import pm.monitor.support.Receiver;

/**
 * {@code serve} as a new user would try it: a roster of two communities entered through the
 * API, events posted, the event clock moved; then a restart.
 */
@Tag("server")
class AlertServeTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static HttpResponse<String> send(TestServer s, String method, String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(s.url(path)))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Moves the event clock and waits until the findings up to it are stored and the alerts have decided on them. */
    static void clock(TestServer s, String until) throws Exception {
        HttpResponse<String> r = send(s, "POST", "/api/clock", "{\"until\":\"" + until + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        s.drain();
        long n = s.app().alerts().ticks();
        TestServer.await("two alert ticks", Duration.ofSeconds(10), () -> s.app().alerts().ticks() >= n + 2);
    }

    static String complaint(String id, String community, String ticket, String at, String household, String incident) {
        return "{\"id\":\"" + id + "\",\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"community\":\"" + community
                + "\",\"ticket\":\"" + ticket + "\",\"kind\":\"complaint\",\"channel\":\"phone\",\"household\":\""
                + household + "\",\"category\":\"environment\",\"receivedBy\":\"a1\""
                + (incident == null ? "" : ",\"incident\":\"" + incident + "\"") + "}";
    }

    @Test
    @SuppressWarnings("unchecked")
    @DisplayName("Two communities: a collective complaint is one message, an unacknowledged alert climbs on time, and a restart sends nothing twice")
    void twoCommunitiesAndARestart() throws Exception {
        try (Receiver receiver = new Receiver()) {
            TestServer server = TestServer.start("events");
            try {
                String[][] roster = {
                        {"C1", "supervisor", "王主管", "/c1/sup"}, {"C1", "centre_manager", "张经理", "/c1/cm"},
                        {"C1", "project_manager", "赵经理", "/c1/pm"}, {"*", "general_manager", "总经理", "/gm"},
                        {"C2", "supervisor", "李主管", "/c2/sup"}, {"C2", "centre_manager", "周经理", "/c2/cm"}};
                for (String[] r : roster) {
                    HttpResponse<String> res = send(server, "POST", "/api/roster", Json.write(Map.of("community", r[0],
                            "role", r[1], "name", r[2], "channel", "webhook", "address", receiver.url(r[3]))));
                    assertEquals(201, res.statusCode(), res.body());
                }
                HttpResponse<String> bad = send(server, "POST", "/api/roster", Json.write(Map.of("community", "C1",
                        "role", "boss", "name", "x", "channel", "webhook", "address", receiver.url("/x"))));
                assertEquals(400, bad.statusCode());
                assertTrue(bad.body().contains("role"), bad.body());
                HttpResponse<String> set = send(server, "PUT", "/api/alerts/settings",
                        "{\"route.kinds\":\"alert, violation\",\"escalate.kinds\":\"alert, violation\",\"retry.initial\":\"50ms\",\"retry.max\":\"200ms\",\"by\":\"test\"}");
                assertEquals(200, set.statusCode(), set.body());

                List<String> events = new ArrayList<>();
                for (int i = 1; i <= 5; i++) {
                    events.add(complaint("c1-" + i, "C1", "T" + i, "2026-03-02T09:0" + (i - 1) * 2 + ":00+08:00",
                            "1-1-10" + i, "INC-1"));
                }
                events.add(complaint("c2-1", "C2", "U1", "2026-03-02T09:00:00+08:00", "2-2-201", null));
                assertEquals(6, TestServer.json(server.post("/api/events", String.join("\n", events))).get("accepted"));

                // The collective complaint (09:08) is an emergency: no window, no quiet hours.
                clock(server, "2026-03-02T09:08:00+08:00");
                Receiver.Request collective = receiver.await("the collective complaint", 1,
                        r -> r.path().equals("/c1/cm") && r.json().get("rule").equals("complaint.collective")).get(0);
                assertEquals("complaint.collective", collective.json().get("rule"));

                // Nobody acknowledges it: 30 min later the project manager, 30 more the general manager.
                // C2's uncontacted complaint is a violation at 11:00, sent at 11:05.
                clock(server, "2026-03-02T11:05:00+08:00");
                Object alert = collective.json().get("alert");
                Receiver.Request pm = receiver.await("escalation 1", 1, r -> r.path().equals("/c1/pm")
                        && r.json().get("alert").equals(alert)).get(0);
                assertEquals("2026-03-02T09:38:00+08:00", pm.json().get("at"));
                Receiver.Request gm = receiver.await("escalation 2", 1, r -> r.path().equals("/gm")
                        && r.json().get("alert").equals(alert)).get(0);
                assertEquals("2026-03-02T10:08:00+08:00", gm.json().get("at"));
                assertEquals(collective.json().get("alert"), gm.json().get("alert"));
                Receiver.Request u1 = receiver.await("C2's violation", 1, r -> r.path().equals("/c2/sup")
                        && r.json().get("rule").equals("complaint.contact-2h")).get(0);
                assertEquals("complaint.contact-2h", u1.json().get("rule"));

                HttpResponse<String> ack = send(server, "POST", "/api/alerts/" + u1.json().get("alert") + "/ack",
                        "{\"by\":\"李主管\"}");
                assertEquals(200, ack.statusCode(), ack.body());
                clock(server, "2026-03-02T12:00:00+08:00");
                Map<String, Object> inbox = TestServer.json(server.get("/api/alerts?role=centre_manager&community=C2&rule=complaint.*"));
                assertEquals(0, ((Number) inbox.get("total")).intValue(), "acknowledged at 11:05: never escalated");

                // C1's supervisor hears nothing of the five tickets: their violations are folded under the incident.
                assertEquals(0, receiver.received("/c1/sup").stream()
                        .filter(r -> r.json().get("rule").equals("complaint.contact-2h")).count());
                Map<String, Object> detail = TestServer.json(server.get("/api/alerts/" + collective.json().get("alert")));
                assertEquals(5, ((List<Map<String, Object>>) detail.get("folded")).stream()
                        .filter(f -> f.get("rule").equals("complaint.contact-2h")).count(), detail.toString());

                // A receiver that is down when the service restarts still gets its message, once.
                receiver.refuse(1_000_000, "http");
                server.post("/api/events", "{\"id\":\"c2-k\",\"type\":\"call.missed\",\"at\":\"2026-03-02T12:10:00+08:00\","
                        + "\"community\":\"C2\",\"call\":\"K9\",\"line\":\"400\"}");
                clock(server, "2026-03-02T12:15:00+08:00");
                TestServer s0 = server;
                TestServer.await("a failed attempt", Duration.ofSeconds(20), () -> ((Number) TestServer.json(
                        s0.get("/api/deliveries?status=pending&channel=webhook")).get("total")).intValue() > 0);
                server = server.restart(Rules.dir(), "events");
                receiver.refuse(0, "http");
                TestServer s1 = server;
                TestServer.await("the pending delivery after the restart", Duration.ofSeconds(20), () -> ((Number)
                        TestServer.json(s1.get("/api/deliveries?status=pending")).get("total")).intValue() == 0);
                clock(server, "2026-03-02T14:00:00+08:00");
                server.post("/api/events", complaint("c2-2", "C2", "U2", "2026-03-02T14:00:00+08:00", "2-2-202", null));
                clock(server, "2026-03-02T16:05:00+08:00");
                receiver.await("U2's violation", 1, r -> r.path().equals("/c2/sup") && r.body().contains("\"U2\""));
                receiver.await("the missed call", 1, r -> r.path().equals("/c2/sup") && r.body().contains("\"K9\""));

                Map<String, Long> keys = receiver.received().stream()
                        .collect(Collectors.groupingBy(r -> r.header("Idempotency-Key"), Collectors.counting()));
                Map<String, Long> twice = new HashMap<>(keys);
                twice.values().removeIf(n -> n == 1);
                assertEquals(Map.of(), twice, "no message delivered twice");
                assertEquals(1, receiver.received("/c2/sup").stream().filter(r -> r.body().contains("\"K9\"")).count(),
                        "the message held back by the receiver's failure came once, after the restart");
                Map<String, Object> deliveries = TestServer.json(server.get("/api/deliveries?channel=webhook&limit=1000"));
                assertEquals(receiver.received().size(), ((Number) deliveries.get("total")).intValue(),
                        "every webhook message queued was delivered once");
            } finally {
                server.close();
            }
        }
    }
}
