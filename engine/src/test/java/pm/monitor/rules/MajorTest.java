package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.support.Scenario.assertFinding;
import static pm.monitor.support.Scenario.on;
import static pm.monitor.support.Scenario.received;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.support.Scenario;

/** rules/complaints/major.drl */
class MajorTest {
    private static final String ONE = "\"kind\":\"complaint\",\"channel\":\"phone\",\"household\":\"1-1-101\",\"category\":\"housing\"";

    @Test
    @DisplayName("BJ 投诉规程 五.8: 10 or more people behind one incident make it major, told at once, once")
    void tenPersons() {
        Scenario s = new Scenario().given(
                received("T1", "2026-03-02T09:00:00+08:00", ONE + ",\"incident\":\"flood\",\"persons\":6"));
        assertTrue(s.findings("complaint.major").isEmpty());
        s.given(received("T2", "2026-03-02T09:10:00+08:00",
                "\"kind\":\"complaint\",\"channel\":\"visit\",\"household\":\"1-1-102\",\"category\":\"housing\","
                        + "\"incident\":\"flood\",\"persons\":4"));
        assertFinding(s.only("complaint.major", "alert"), "flood", "2026-03-02T09:10:00+08:00", null, "general_manager");
        s.given(received("T3", "2026-03-02T09:20:00+08:00",
                "\"kind\":\"complaint\",\"channel\":\"visit\",\"household\":\"1-1-103\",\"category\":\"housing\",\"incident\":\"flood\""));
        assertEquals(1, s.findings("complaint.major").size());
    }

    @Test
    @DisplayName("BJ 投诉规程 五.8: a complaint flagged lawsuit or media is major (subject: the ticket when it has no incident)")
    void flagged() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", ONE),
                on("T1", "ticket.flagged", "2026-03-05T09:00:00+08:00", "\"flag\":\"media\""));
        assertFinding(s.only("complaint.major", "alert"), "T1", "2026-03-05T09:00:00+08:00", null, "general_manager");
    }

    @Test
    @DisplayName("BJ 投诉规程 五.8: still open 30 days after receipt makes it major, at the 30 days and not a minute before")
    void openThirtyDays() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", ONE))
                .clockAt("2026-04-01T08:59:00+08:00");
        assertTrue(s.findings("complaint.major").isEmpty());
        s.clockAt("2026-04-01T09:00:00+08:00");
        assertFinding(s.only("complaint.major", "alert"), "T1", "2026-04-01T09:00:00+08:00", null, "general_manager");
        Scenario resolved = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", ONE),
                on("T1", "ticket.resolved", "2026-04-01T09:00:00+08:00", "")).clockAt("2026-04-02T00:00:00+08:00");
        assertTrue(resolved.findings("complaint.major").isEmpty(), "resolved at the limit: not major");
    }

    @Test
    @DisplayName("BJ 投诉规程 五.8: while major and open, the general manager gets a report at least weekly")
    void weeklyUpdate() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", ONE),
                on("T1", "ticket.flagged", "2026-03-05T09:00:00+08:00", "\"flag\":\"lawsuit\""),
                on("T1", "ticket.reported", "2026-03-11T09:00:00+08:00", "\"to\":\"general_manager\""))
                .clockAt("2026-03-18T08:59:00+08:00");
        assertTrue(s.findings("complaint.major-weekly-update", "violation").isEmpty(), "the report of 03-11 restarted it");
        s.clockAt("2026-03-18T09:00:00+08:00");
        assertFinding(s.only("complaint.major-weekly-update", "violation"), "T1", "2026-03-18T09:00:00+08:00",
                "2026-03-18T09:00:00+08:00", "general_manager");
        s.clockAt("2026-03-25T09:00:00+08:00");
        assertEquals(2, s.findings("complaint.major-weekly-update", "violation").size(), "a missed week does not stop the count");
    }

    @Test
    @DisplayName("BJ 投诉规程 五.8: a closed major complaint gets a special report within 7 days")
    void specialReport() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", ONE),
                on("T1", "ticket.flagged", "2026-03-03T09:00:00+08:00", "\"flag\":\"media\""),
                on("T1", "ticket.reported", "2026-03-04T09:00:00+08:00", "\"to\":\"general_manager\""),
                on("T1", "ticket.resolved", "2026-03-05T09:00:00+08:00", ""),
                on("T1", "ticket.closed", "2026-03-06T09:00:00+08:00", ""))
                .clockAt("2026-03-13T08:59:00+08:00");
        assertTrue(s.findings("complaint.major-report", "violation").isEmpty());
        assertTrue(s.findings("complaint.major-weekly-update", "violation").isEmpty(), "closing ended the weekly reports");
        s.clockAt("2026-03-13T09:00:00+08:00");
        assertFinding(s.only("complaint.major-report", "violation"), "T1", "2026-03-13T09:00:00+08:00",
                "2026-03-13T09:00:00+08:00", "quality");
        Scenario met = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", ONE),
                on("T1", "ticket.flagged", "2026-03-03T09:00:00+08:00", "\"flag\":\"media\""),
                on("T1", "ticket.closed", "2026-03-06T09:00:00+08:00", ""),
                on("T1", "ticket.reported", "2026-03-12T09:00:00+08:00", "\"to\":\"quality\",\"special\":true"))
                .clockAt("2026-03-20T00:00:00+08:00");
        assertTrue(met.findings("complaint.major-report", "violation").isEmpty());
    }
}
