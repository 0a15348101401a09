package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.support.Scenario.assertFinding;
import static pm.monitor.support.Scenario.on;
import static pm.monitor.support.Scenario.received;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Finding;
import pm.monitor.support.Scenario;

/** rules/complaints/across-tickets.drl: repeat complaints and the visit reply of collective ones. */
class AcrossTicketsTest {

    private static String complaint(String household, String category) {
        return "\"kind\":\"complaint\",\"channel\":\"phone\",\"household\":\"" + household + "\",\"category\":\"" + category + "\"";
    }

    @Test
    @DisplayName("CODE 4.11.1: the same household and category again within 30 days is a repeat complaint")
    void repeatWithinThirtyDays() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", complaint("1-1-101", "environment")),
                received("T2", "2026-04-01T09:00:00+08:00", complaint("1-1-101", "environment")));
        Finding f = s.only("complaint.repeat", "alert");
        assertFinding(f, "T2", "2026-04-01T09:00:00+08:00", null, "supervisor");
        assertEquals(List.of("T1"), f.details().get("earlier"));
    }

    @Test
    @DisplayName("CODE 4.11.1: a minute past 30 days, or another category or household, is no repeat")
    void notARepeat() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", complaint("1-1-101", "environment")),
                received("T2", "2026-04-01T09:01:00+08:00", complaint("1-1-101", "environment")),
                received("T3", "2026-03-03T09:00:00+08:00", complaint("1-1-101", "security")),
                received("T4", "2026-03-03T10:00:00+08:00", complaint("1-1-102", "environment")));
        assertTrue(s.findings("complaint.repeat").isEmpty());
    }

    private static Scenario collective() {
        Scenario s = new Scenario();
        for (int i = 1; i <= 5; i++) {
            s.given(received("T" + i, "2026-03-02T09:0" + i + ":00+08:00",
                    complaint("1-1-10" + i, "equipment") + ",\"incident\":\"lift-3\""));
        }
        s.given(received("W1", "2026-03-02T09:30:00+08:00", "\"kind\":\"complaint\",\"channel\":\"written\","
                + "\"household\":\"1-1-109\",\"category\":\"equipment\",\"incident\":\"lift-3\""));
        return s;
    }

    @Test
    @DisplayName("CODE 4.8.1: once collective, a phone reply to one of its complaints is a violation with that reply")
    void collectiveRepliedByPhone() {
        Scenario s = collective().given(on("T2", "ticket.replied", "2026-03-02T15:00:00+08:00", "\"method\":\"phone\""));
        assertFinding(s.only("complaint.collective-visit", "violation"), "T2", "2026-03-02T15:00:00+08:00", null,
                "centre_manager");
    }

    @Test
    @DisplayName("CODE 4.8.1: a home visit, or a written reply to a written complaint, is right")
    void collectiveRepliedRightly() {
        Scenario s = collective().given(on("T2", "ticket.replied", "2026-03-02T15:00:00+08:00", "\"method\":\"visit\""),
                on("W1", "ticket.replied", "2026-03-02T15:00:00+08:00", "\"method\":\"written\""));
        assertTrue(s.findings("complaint.collective-visit").isEmpty());
    }

    @Test
    @DisplayName("CODE 4.8.1: a reply before the incident became collective is not held to it")
    void replyBeforeCollective() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00",
                        complaint("1-1-101", "equipment") + ",\"incident\":\"lift-3\""),
                on("T1", "ticket.replied", "2026-03-02T09:10:00+08:00", "\"method\":\"phone\""));
        for (int i = 2; i <= 5; i++) {
            s.given(received("T" + i, "2026-03-02T09:2" + i + ":00+08:00",
                    complaint("1-1-10" + i, "equipment") + ",\"incident\":\"lift-3\""));
        }
        assertEquals(1, s.findings("complaint.collective").size());
        assertTrue(s.findings("complaint.collective-visit").isEmpty());
    }
}
