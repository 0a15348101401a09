package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.support.Scenario.t;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Finding;
import pm.monitor.support.Scenario;

/** rules/repairs/working-days.drl */
class RepairWorkingDaysTest {

    private static Scenario repairReceived(String at) {
        return new Scenario().given("{\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"ticket\":\"R1\","
                + "\"kind\":\"repair\",\"channel\":\"phone\",\"household\":\"1-1-101\",\"receivedBy\":\"a1\"}");
    }

    @Test
    @DisplayName("BJ 报修规程 四.5: received Friday 15:00, working days Mon 03-09 and Tue 03-10, due Wed 03-11 00:00")
    void dueAfterTwoWorkingDays() {
        Scenario s = repairReceived("2026-03-06T15:00:00+08:00").clockAt("2026-03-10T23:59:00+08:00");
        assertTrue(s.findings("repair.two-working-days", "violation").isEmpty(), "one minute before: nothing");
        s.clockAt("2026-03-11T00:00:00+08:00");
        List<Finding> v = s.findings("repair.two-working-days", "violation");
        assertEquals(1, v.size());
        assertEquals("R1", v.get(0).subject());
        assertEquals(t("2026-03-11T00:00:00+08:00"), v.get(0).at());
        assertEquals(t("2026-03-11T00:00:00+08:00"), v.get(0).dueAt());
        assertEquals("project_manager", v.get(0).role());
        String explain = (String) v.get(0).details().get("explain");
        assertTrue(explain.contains("received Fri 2026-03-06 15:00"), explain);
        assertTrue(explain.contains("working days counted Mon 03-09, Tue 03-10"), explain);
        assertTrue(explain.contains("due Wed 2026-03-11 00:00"), explain);
    }

    @Test
    @DisplayName("BJ 报修规程 四.5: across Labour Day 2026 (05-01..05-05 off, Saturday 05-09 a working day)")
    void labourDay() {
        // Received Thu 04-30: 05-01..05-05 are holidays, so the working days are Wed 05-06 and Thu 05-07.
        Scenario s = repairReceived("2026-04-30T10:00:00+08:00").clockAt("2026-05-07T23:59:00+08:00");
        assertTrue(s.findings("repair.two-working-days", "violation").isEmpty());
        s.clockAt("2026-05-08T00:00:00+08:00");
        assertEquals(t("2026-05-08T00:00:00+08:00"), s.findings("repair.two-working-days", "violation").get(0).dueAt());
    }

    @Test
    @DisplayName("BJ 报修规程 四.5: met by the resolution, or by a report to the project manager")
    void metByResolutionOrReport() {
        Scenario resolved = repairReceived("2026-03-06T15:00:00+08:00").given("""
                {"type":"ticket.resolved","at":"2026-03-10T23:59:00+08:00","ticket":"R1","by":"e1"}""")
                .clockAt("2026-03-12T00:00:00+08:00");
        assertTrue(resolved.findings("repair.two-working-days", "violation").isEmpty());
        Scenario reported = repairReceived("2026-03-06T15:00:00+08:00").given("""
                {"type":"ticket.reported","at":"2026-03-10T18:00:00+08:00","ticket":"R1","to":"project_manager"}""")
                .clockAt("2026-03-12T00:00:00+08:00");
        assertTrue(reported.findings("repair.two-working-days", "violation").isEmpty());
        Scenario reportedToOther = repairReceived("2026-03-06T15:00:00+08:00").given("""
                {"type":"ticket.reported","at":"2026-03-10T18:00:00+08:00","ticket":"R1","to":"supervisor"}""")
                .clockAt("2026-03-12T00:00:00+08:00");
        assertEquals(1, reportedToOther.findings("repair.two-working-days", "violation").size());
    }
}
