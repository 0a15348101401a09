package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.alert.AlertServeTest.clock;
import static pm.monitor.alert.AlertServeTest.complaint;
import static pm.monitor.alert.AlertServeTest.send;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Json;
import pm.monitor.support.TestServer;
import pm.monitor.support.Receiver;

/**
 * A finding withdrawn by a late event (within the allowed lateness the community is rebuilt and
 * findings it no longer makes are withdrawn) stops its alert: nobody is escalated to over what
 * the handbook no longer says happened.
 */
@Tag("server")
class AlertWithdrawnTest {

    @Test
    @DisplayName("a violation sent to the supervisor, then withdrawn by a late contact, is not escalated to the centre manager")
    @SuppressWarnings("unchecked")
    void withdrawnFindingStopsEscalation() throws Exception {
        try (Receiver receiver = new Receiver(); TestServer server = TestServer.start("events")) {
            for (String[] r : new String[][] {{"supervisor", "/sup"}, {"centre_manager", "/cm"}}) {
                HttpResponse<String> res = send(server, "POST", "/api/roster", Json.write(Map.of("community", "C1",
                        "role", r[0], "name", r[0], "channel", "webhook", "address", receiver.url(r[1]))));
                assertEquals(201, res.statusCode(), res.body());
            }
            assertEquals(200, send(server, "PUT", "/api/alerts/settings",
                    "{\"route.kinds\":\"violation\",\"escalate.kinds\":\"violation\",\"by\":\"test\"}").statusCode());
            assertEquals(1, TestServer.json(server.post("/api/events",
                    complaint("w1", "C1", "T1", "2026-03-02T09:00:00+08:00", "1-1-101", null))).get("accepted"));

            // Not contacted by 11:00: the violation goes to the supervisor when its window closes.
            clock(server, "2026-03-02T11:06:00+08:00");
            Receiver.Request sent = receiver.await("the violation", 1, r -> r.path().equals("/sup")
                    && r.json().get("rule").equals("complaint.contact-2h")).get(0);
            String alert = (String) sent.json().get("alert");

            // The contact at 10:59 arrives 7 minutes late, within the 10 allowed: the violation is withdrawn.
            HttpResponse<String> late = server.post("/api/events", "{\"id\":\"w2\",\"type\":\"ticket.contacted\","
                    + "\"at\":\"2026-03-02T10:59:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\",\"by\":\"s1\"}");
            assertEquals(1, TestServer.json(late).get("accepted"), late.body());
            server.drain();
            List<Map<String, Object>> live = server.findings("community=C1&rule=complaint.contact-2h&kind=violation");
            assertTrue(live.isEmpty(), "the violation is withdrawn: " + live);

            // Its acknowledgement deadline (30 min after it was sent) passes: no escalation.
            clock(server, "2026-03-02T12:30:00+08:00");
            Map<String, Object> detail = TestServer.json(server.get("/api/alerts/" + alert));
            assertEquals("withdrawn", detail.get("status"), detail.toString());
            assertEquals(0, receiver.received("/cm").size(), "nothing reached the centre manager");
            assertTrue(String.valueOf(detail).contains("withdrawn by a late event"), detail.toString());
        }
    }
}
