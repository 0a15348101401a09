package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.support.Scenario.t;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Finding;
import pm.monitor.support.Scenario;

/** rules/complaints/across-tickets.drl: collective complaints */
class CollectiveTest {

    private static String complaint(String ticket, String household, String at) {
        return "{\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"ticket\":\"" + ticket + "\",\"kind\":\"complaint\","
                + "\"channel\":\"phone\",\"household\":\"" + household + "\",\"category\":\"equipment\","
                + "\"incident\":\"lift-3\",\"receivedBy\":\"a1\"}";
    }

    @Test
    @DisplayName("CODE 4.1.4: the 5th household on one incident within 24 h makes it collective, told at once")
    void fifthHouseholdMakesItCollective() {
        Scenario s = new Scenario().given(
                complaint("T1", "1-1-101", "2026-03-02T09:00:00+08:00"),
                complaint("T2", "1-1-102", "2026-03-02T10:00:00+08:00"),
                complaint("T3", "1-1-103", "2026-03-02T11:00:00+08:00"),
                complaint("T4", "1-1-104", "2026-03-02T12:00:00+08:00"));
        assertTrue(s.findings("complaint.collective").isEmpty(), "four households are not collective");
        s.given(complaint("T5", "1-1-105", "2026-03-03T08:59:00+08:00"));
        List<Finding> a = s.findings("complaint.collective", "alert");
        assertEquals(1, a.size());
        Finding f = a.get(0);
        assertEquals("lift-3", f.subject());
        assertEquals(t("2026-03-03T08:59:00+08:00"), f.at());
        assertEquals(null, f.dueAt());
        assertEquals("centre_manager", f.role());
        assertEquals(List.of("1-1-101", "1-1-102", "1-1-103", "1-1-104", "1-1-105"), f.details().get("households"));
        s.given(complaint("T6", "1-1-106", "2026-03-03T09:30:00+08:00"));
        assertEquals(1, s.findings("complaint.collective").size(), "told once per incident");
    }

    @Test
    @DisplayName("CODE 4.1.4: households outside the 24 h window do not count")
    void windowIsTwentyFourHours() {
        Scenario s = new Scenario().given(
                complaint("T1", "1-1-101", "2026-03-02T09:00:00+08:00"),
                complaint("T2", "1-1-102", "2026-03-02T10:00:00+08:00"),
                complaint("T3", "1-1-103", "2026-03-02T11:00:00+08:00"),
                complaint("T4", "1-1-104", "2026-03-02T12:00:00+08:00"),
                complaint("T5", "1-1-105", "2026-03-03T09:01:00+08:00"));
        assertTrue(s.findings("complaint.collective").isEmpty(), "T1 fell out of the window a minute before T5");
    }

    @Test
    @DisplayName("The same household complaining twice counts once")
    void householdsAreDistinct() {
        Scenario s = new Scenario().given(
                complaint("T1", "1-1-101", "2026-03-02T09:00:00+08:00"),
                complaint("T2", "1-1-101", "2026-03-02T09:10:00+08:00"),
                complaint("T3", "1-1-102", "2026-03-02T09:20:00+08:00"),
                complaint("T4", "1-1-103", "2026-03-02T09:30:00+08:00"),
                complaint("T5", "1-1-104", "2026-03-02T09:40:00+08:00"));
        assertTrue(s.findings("complaint.collective").isEmpty());
    }

    @Test
    @DisplayName("CODE 4.1.4 \"五户或五户以上的业户\": complaints with no household cannot establish households")
    void anonymousComplaintsAreNoHouseholds() {
        Scenario s = new Scenario();
        for (int i = 1; i <= 5; i++) {
            s.given(complaint("A" + i, "X", "2026-03-02T09:0" + i + ":00+08:00").replace(",\"household\":\"X\"", ""));
        }
        assertTrue(s.findings("complaint.collective").isEmpty(), "five anonymous calls may be one caller");
        s.given(complaint("T1", "1-1-101", "2026-03-02T10:00:00+08:00"),
                complaint("T2", "1-1-102", "2026-03-02T10:10:00+08:00"),
                complaint("T3", "1-1-103", "2026-03-02T10:20:00+08:00"),
                complaint("T4", "1-1-104", "2026-03-02T10:30:00+08:00"));
        assertTrue(s.findings("complaint.collective").isEmpty(), "four named households and five anonymous complaints");
        s.given(complaint("T5", "1-1-105", "2026-03-02T10:40:00+08:00"));
        Finding f = s.only("complaint.collective", "alert");
        assertEquals(t("2026-03-02T10:40:00+08:00"), f.at());
        assertEquals(List.of("1-1-101", "1-1-102", "1-1-103", "1-1-104", "1-1-105"), f.details().get("households"));
    }
}
