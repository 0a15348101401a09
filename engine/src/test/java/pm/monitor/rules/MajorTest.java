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

/** rules/complaints/major.drl */
class MajorTest {
    private static final String ONE = "\"kind\":\"complaint\",\"channel\":\"phone\",\"household\":\"1-1-101\",\"category\":\"housing\"";

    /** A complaint about the flooded garage from household {@code h} with {@code persons} people. */
    private static String flood(String ticket, String h, String at, int persons) {
        return received(ticket, at, "\"kind\":\"complaint\",\"channel\":\"visit\",\"household\":\"" + h + "\","
                + "\"category\":\"housing\",\"incident\":\"flood\",\"persons\":" + persons);
    }

    @Test
    @DisplayName("BJ 投诉规程 五.8 \"10人以上的集体投诉\": a collective complaint (5 households) with 10 people is major at the moment it is both")
    void tenPersonsOfACollectiveComplaint() {
        Scenario s = new Scenario().given(
                flood("T1", "1-1-101", "2026-03-02T09:00:00+08:00", 2),
                flood("T2", "1-1-102", "2026-03-02T09:10:00+08:00", 2),
                flood("T3", "1-1-103", "2026-03-02T09:20:00+08:00", 2),
                flood("T4", "1-1-104", "2026-03-02T09:30:00+08:00", 2));
        assertTrue(s.findings("complaint.major").isEmpty(), "8 people, 4 households: not collective, not major");
        s.given(flood("T5", "1-1-105", "2026-03-02T09:40:00+08:00", 2));
        s.only("complaint.collective", "alert");
        Finding f = s.only("complaint.major", "alert");
        assertFinding(f, "flood", "2026-03-02T09:40:00+08:00", null, "general_manager");
        assertEquals(10, f.details().get("persons"));
        s.given(flood("T6", "1-1-106", "2026-03-02T09:50:00+08:00", 3));
        assertEquals(1, s.findings("complaint.major").size(), "told once");
    }

    @Test
    @DisplayName("BJ 投诉规程 五.8: people are counted per household (its largest persons), not summed over its calls")
    void personsPerHousehold() {
        // two households calling five times each: 10 tickets, 2 households — neither collective nor major
        Scenario two = new Scenario();
        for (int i = 0; i < 10; i++) {
            two.given(flood("T" + i, i % 2 == 0 ? "1-1-101" : "1-1-102", "2026-03-02T09:0" + i + ":00+08:00", 1));
        }
        assertTrue(two.findings("complaint.collective").isEmpty());
        assertTrue(two.findings("complaint.major").isEmpty(), two.findings().toString());
        // five households of one person (collective, 5 people); household 1 calls again saying it is 6: 6 + 4 = 10
        Scenario s = new Scenario().given(
                flood("T1", "1-1-101", "2026-03-02T09:00:00+08:00", 1),
                flood("T2", "1-1-102", "2026-03-02T09:10:00+08:00", 1),
                flood("T3", "1-1-103", "2026-03-02T09:20:00+08:00", 1),
                flood("T4", "1-1-104", "2026-03-02T09:30:00+08:00", 1),
                flood("T5", "1-1-105", "2026-03-02T09:40:00+08:00", 1),
                flood("T6", "1-1-101", "2026-03-02T09:50:00+08:00", 5));
        assertTrue(s.findings("complaint.major").isEmpty(), "5 + 4: household 1's two calls are not 6 people");
        s.given(flood("T7", "1-1-101", "2026-03-02T10:00:00+08:00", 6));
        assertFinding(s.only("complaint.major", "alert"), "flood", "2026-03-02T10:00:00+08:00", null, "general_manager");
        // many people but not collective: 4 households of 3 people is no major complaint by size
        Scenario four = new Scenario().given(
                flood("T1", "1-1-101", "2026-03-02T09:00:00+08:00", 3),
                flood("T2", "1-1-102", "2026-03-02T09:10:00+08:00", 3),
                flood("T3", "1-1-103", "2026-03-02T09:20:00+08:00", 3),
                flood("T4", "1-1-104", "2026-03-02T09:30:00+08:00", 3));
        assertTrue(four.findings("complaint.major").isEmpty());
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
    @DisplayName("BJ 投诉规程 五.8 \"处理完毕后...专题报告\": the special report is due 7 days after the handling is done (resolved)")
    void specialReport() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", ONE),
                on("T1", "ticket.flagged", "2026-03-03T09:00:00+08:00", "\"flag\":\"media\""),
                on("T1", "ticket.reported", "2026-03-04T09:00:00+08:00", "\"to\":\"general_manager\""),
                on("T1", "ticket.resolved", "2026-03-05T09:00:00+08:00", ""),
                on("T1", "ticket.closed", "2026-03-06T09:00:00+08:00", ""))
                .clockAt("2026-03-12T08:59:00+08:00");
        assertTrue(s.findings("complaint.major-report", "violation").isEmpty());
        assertTrue(s.findings("complaint.major-weekly-update", "violation").isEmpty(), "the resolution ended the weekly reports");
        s.clockAt("2026-03-12T09:00:00+08:00");
        assertFinding(s.only("complaint.major-report", "violation"), "T1", "2026-03-12T09:00:00+08:00",
                "2026-03-12T09:00:00+08:00", "quality");
        Scenario met = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", ONE),
                on("T1", "ticket.flagged", "2026-03-03T09:00:00+08:00", "\"flag\":\"media\""),
                on("T1", "ticket.closed", "2026-03-06T09:00:00+08:00", ""),
                on("T1", "ticket.reported", "2026-03-12T09:00:00+08:00", "\"to\":\"quality\",\"special\":true"))
                .clockAt("2026-03-20T00:00:00+08:00");
        assertTrue(met.findings("complaint.major-report", "violation").isEmpty());
        assertTrue(met.findings("complaint.major-weekly-update", "violation").isEmpty(), "closed on day 4");
    }

    @Test
    @DisplayName("BJ 投诉规程 五.8 \"在处理过程中\": resolved on day 4 and archived on day 18, no weekly report is due after day 4")
    void weeklyReportsEndAtResolution() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", ONE),
                on("T1", "ticket.flagged", "2026-03-02T10:00:00+08:00", "\"flag\":\"lawsuit\""),
                on("T1", "ticket.resolved", "2026-03-05T09:00:00+08:00", ""),
                on("T1", "ticket.reported", "2026-03-10T09:00:00+08:00", "\"to\":\"quality\",\"special\":true"),
                on("T1", "ticket.closed", "2026-03-19T09:00:00+08:00", ""))
                .clockAt("2026-04-30T00:00:00+08:00");
        assertTrue(s.findings("complaint.major-weekly-update", "violation").isEmpty(), s.findings().toString());
        assertTrue(s.findings("complaint.major-report", "violation").isEmpty(), s.findings().toString());
        // reopened: handling resumes, and the weekly reports with it, from the reopening
        Scenario again = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", ONE),
                on("T1", "ticket.flagged", "2026-03-02T10:00:00+08:00", "\"flag\":\"lawsuit\""),
                on("T1", "ticket.resolved", "2026-03-05T09:00:00+08:00", ""),
                on("T1", "ticket.reopened", "2026-03-06T09:00:00+08:00", "\"reason\":\"not fixed\""))
                .clockAt("2026-03-13T08:59:00+08:00");
        assertTrue(again.findings("complaint.major-weekly-update", "violation").isEmpty());
        assertTrue(again.findings("complaint.major-report", "violation").isEmpty(), "no special report while handled again");
        again.clockAt("2026-03-13T09:00:00+08:00");
        assertFinding(again.only("complaint.major-weekly-update", "violation"), "T1", "2026-03-13T09:00:00+08:00",
                "2026-03-13T09:00:00+08:00", "general_manager");
    }

    @Test
    @DisplayName("BJ 投诉规程 五.8 \"由于我方原因\": an assist or an invalid complaint open a month is not major; nor are weekly reports due")
    void notOursIsNotMajor() {
        for (String validity : List.of("assist", "invalid")) {
            Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00",
                            ONE + ",\"validity\":\"" + validity + "\""),
                    on("T1", "ticket.replied", "2026-03-02T09:30:00+08:00", "\"method\":\"phone\""))
                    .clockAt("2026-05-01T00:00:00+08:00");
            assertTrue(s.findings("complaint.major").isEmpty(), validity + ": " + s.findings("complaint.major"));
            assertTrue(s.findings("complaint.major-weekly-update").isEmpty(), validity);
        }
    }

    @Test
    @DisplayName("BJ 投诉规程 五.8 \"有效解决\": resolved, found unsatisfactory, reopened and left open is major at 30 days from receipt")
    void reopenedAndLeftOpenIsMajor() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", ONE),
                on("T1", "ticket.contacted", "2026-03-02T10:00:00+08:00", ""),
                on("T1", "ticket.resolved", "2026-03-07T09:00:00+08:00", ""),
                on("T1", "ticket.followed_up", "2026-03-07T15:00:00+08:00", "\"satisfied\":false"),
                on("T1", "ticket.reopened", "2026-03-08T09:00:00+08:00", "\"reason\":\"still leaking\""))
                .clockAt("2026-04-01T08:59:00+08:00");
        assertTrue(s.findings("complaint.major").isEmpty());
        s.clockAt("2026-04-01T09:00:00+08:00");
        assertFinding(s.only("complaint.major", "alert"), "T1", "2026-04-01T09:00:00+08:00", null, "general_manager");
        // resolved once and not reopened: effectively resolved, never major
        Scenario resolved = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", ONE),
                on("T1", "ticket.resolved", "2026-03-07T09:00:00+08:00", ""))
                .clockAt("2026-06-01T00:00:00+08:00");
        assertTrue(resolved.findings("complaint.major").isEmpty());
        // reopened after the month: the resolution did not hold, major at the reopening
        Scenario late = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", ONE),
                on("T1", "ticket.resolved", "2026-03-07T09:00:00+08:00", ""),
                on("T1", "ticket.reopened", "2026-04-10T09:00:00+08:00", "\"reason\":\"broke again\""));
        assertFinding(late.only("complaint.major", "alert"), "T1", "2026-04-10T09:00:00+08:00", null, "general_manager");
    }
}
