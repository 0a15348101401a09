package pm.monitor.rules;

import java.util.List;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.support.Scenario.assertFinding;
import static pm.monitor.support.Scenario.on;
import static pm.monitor.support.Scenario.received;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.support.Scenario;

/** rules/requests/time-limits.drl */
class RequestsTest {

    @Test
    @DisplayName("FD 三 ⑤–⑦: an inquiry not answered on the spot is answered the same day")
    void requestReply() {
        Scenario s = new Scenario().given(received("H1", "2026-03-02T16:00:00+08:00",
                "\"kind\":\"inquiry\",\"channel\":\"phone\"")).clockAt("2026-03-02T23:59:00+08:00");
        assertTrue(s.findings("request.reply", "violation").isEmpty());
        s.clockAt("2026-03-03T00:00:00+08:00");
        assertFinding(s.only("request.reply", "violation"), "H1", "2026-03-03T00:00:00+08:00",
                "2026-03-03T00:00:00+08:00", "supervisor");
    }

    @Test
    @DisplayName("VK 信息传递过程: what field staff saw on day 1 and the front desk recorded at 24:00 was relayed in time")
    void relayAtTheDeadline() {
        Scenario s = new Scenario().given(received("T1", "2026-03-03T00:00:00+08:00",
                "\"kind\":\"repair\",\"channel\":\"patrol\",\"building\":\"B1\",\"observedAt\":\"2026-03-02T10:00:00+08:00\""));
        assertTrue(s.findings("ticket.relay-same-day").isEmpty());
    }

    @Test
    @DisplayName("VK 信息传递过程: recorded a minute after the day ended, it is a violation stamped at the deadline")
    void relayLate() {
        Scenario s = new Scenario().given(received("T1", "2026-03-03T00:01:00+08:00",
                "\"kind\":\"repair\",\"channel\":\"patrol\",\"building\":\"B1\",\"observedAt\":\"2026-03-02T10:00:00+08:00\""));
        assertFinding(s.only("ticket.relay-same-day", "violation"), "T1", "2026-03-03T00:00:00+08:00",
                "2026-03-03T00:00:00+08:00", "assistant");
    }

    @Test
    @DisplayName("VK 未关闭信息的处理: an item open 2 working days with no escalation alerts the supervisor")
    void openEscalation() {
        Scenario s = new Scenario().given(received("H1", "2026-03-06T15:00:00+08:00",
                        "\"kind\":\"help\",\"channel\":\"phone\""),
                on("H1", "ticket.replied", "2026-03-06T15:10:00+08:00", "\"method\":\"phone\""))
                .clockAt("2026-03-10T23:59:00+08:00");
        assertTrue(s.findings("ticket.open-escalation").isEmpty());
        s.clockAt("2026-03-11T00:00:00+08:00");
        assertFinding(s.only("ticket.open-escalation", "alert"), "H1", "2026-03-11T00:00:00+08:00",
                "2026-03-11T00:00:00+08:00", "supervisor");
        Scenario escalated = new Scenario().given(received("H1", "2026-03-06T15:00:00+08:00",
                        "\"kind\":\"help\",\"channel\":\"phone\""),
                on("H1", "ticket.escalated", "2026-03-09T10:00:00+08:00", "\"to\":\"supervisor\""))
                .clockAt("2026-03-12T00:00:00+08:00");
        assertTrue(escalated.findings("ticket.open-escalation").isEmpty());
    }

    @Test
    @DisplayName("VK 未关闭信息的处理 \"须报送客服负责人及部门负责人\": a report to engineering is no escalation; one to the centre manager is")
    void openEscalationRecipients() {
        String repair = "\"kind\":\"repair\",\"channel\":\"phone\",\"household\":\"1-1-101\"";
        Scenario engineering = new Scenario().given(received("R1", "2026-03-06T15:00:00+08:00", repair),
                on("R1", "ticket.reported", "2026-03-07T10:00:00+08:00", "\"to\":\"engineering\""),
                on("R1", "ticket.escalated", "2026-03-07T11:00:00+08:00", "\"to\":\"building_manager\""))
                .clockAt("2026-03-10T23:59:00+08:00");
        assertTrue(engineering.findings("ticket.open-escalation").isEmpty());
        engineering.clockAt("2026-03-11T00:00:00+08:00");
        assertFinding(engineering.only("ticket.open-escalation", "alert"), "R1", "2026-03-11T00:00:00+08:00",
                "2026-03-11T00:00:00+08:00", "supervisor");
        for (String role : List.of("supervisor", "centre_manager", "project_manager", "general_manager")) {
            Scenario up = new Scenario().given(received("R1", "2026-03-06T15:00:00+08:00", repair),
                    on("R1", "ticket.reported", "2026-03-07T10:00:00+08:00", "\"to\":\"" + role + "\""))
                    .clockAt("2026-03-12T00:00:00+08:00");
            assertTrue(up.findings("ticket.open-escalation").isEmpty(), role);
        }
        // an inquiry answered is not an open item
        Scenario inquiry = new Scenario().given(received("Q1", "2026-03-06T15:00:00+08:00",
                        "\"kind\":\"inquiry\",\"channel\":\"phone\""),
                on("Q1", "ticket.replied", "2026-03-06T15:05:00+08:00", "\"method\":\"phone\""))
                .clockAt("2026-03-12T00:00:00+08:00");
        assertTrue(inquiry.findings("ticket.open-escalation").isEmpty());
    }
}
