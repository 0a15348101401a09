package pm.monitor.rules;

import java.util.List;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.support.Scenario.on;
import static pm.monitor.support.Scenario.received;
import static pm.monitor.support.Scenario.t;
import static pm.monitor.support.Scenario.assertFinding;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Finding;
import pm.monitor.support.Scenario;

/** rules/complaints/handling.drl */
class ComplaintHandlingTest {
    private static final String ASSIST = "\"kind\":\"complaint\",\"channel\":\"app\",\"household\":\"1-1-101\","
            + "\"category\":\"developer\",\"validity\":\"assist\"";
    private static final String APP = "\"kind\":\"complaint\",\"channel\":\"app\",\"household\":\"1-1-101\",\"category\":\"service\"";


    @Test
    @DisplayName("CODE 4.9.1: an assist complaint's owner hears of progress every 3 days; each progress restarts the clock")
    void assistProgress() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", ASSIST),
                on("T1", "ticket.contacted", "2026-03-02T09:30:00+08:00", ""),
                on("T1", "ticket.progress", "2026-03-04T10:00:00+08:00", "\"note\":\"转开发商\""))
                .clockAt("2026-03-07T09:59:00+08:00");
        assertTrue(s.findings("complaint.assist-progress", "violation").isEmpty(), "the progress of 03-04 restarted it");
        s.clockAt("2026-03-07T10:00:00+08:00");
        assertFinding(s.only("complaint.assist-progress", "violation"), "T1", "2026-03-07T10:00:00+08:00",
                "2026-03-07T10:00:00+08:00", "supervisor");
    }

    @Test
    @DisplayName("CODE 4.9.1: closing the complaint ends the duty")
    void assistProgressEndsWhenClosed() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", ASSIST),
                on("T1", "ticket.closed", "2026-03-04T10:00:00+08:00", "")).clockAt("2026-03-10T00:00:00+08:00");
        assertTrue(s.findings("complaint.assist-progress", "violation").isEmpty());
    }

    @Test
    @DisplayName("BJ 投诉规程 五.5: a resolved complaint is followed up within 24 h")
    void followUp() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", APP),
                on("T1", "ticket.resolved", "2026-03-02T11:00:00+08:00", "")).clockAt("2026-03-03T10:59:00+08:00");
        assertTrue(s.findings("complaint.follow-up", "violation").isEmpty());
        s.clockAt("2026-03-03T11:00:00+08:00");
        assertFinding(s.only("complaint.follow-up", "violation"), "T1", "2026-03-03T11:00:00+08:00",
                "2026-03-03T11:00:00+08:00", "supervisor");
    }

    @Test
    @DisplayName("CODE 4.11.1: a dissatisfied owner is told to the supervisor at once; not reopened within 24 h is a violation")
    void dissatisfied() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", APP),
                on("T1", "ticket.resolved", "2026-03-02T11:00:00+08:00", ""),
                on("T1", "ticket.followed_up", "2026-03-02T15:00:00+08:00", "\"satisfied\":false,\"score\":1"));
        assertFinding(s.only("complaint.dissatisfied", "alert"), "T1", "2026-03-02T15:00:00+08:00", null, "supervisor");
        s.clockAt("2026-03-03T14:59:00+08:00");
        assertTrue(s.findings("complaint.dissatisfied", "violation").isEmpty());
        s.clockAt("2026-03-03T15:00:00+08:00");
        assertFinding(s.only("complaint.dissatisfied", "violation"), "T1", "2026-03-03T15:00:00+08:00",
                "2026-03-03T15:00:00+08:00", "supervisor");
    }

    @Test
    @DisplayName("CODE 4.11.1: the reopening meets the dissatisfied duty")
    void dissatisfiedReopened() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", APP),
                on("T1", "ticket.resolved", "2026-03-02T11:00:00+08:00", ""),
                on("T1", "ticket.followed_up", "2026-03-02T15:00:00+08:00", "\"satisfied\":false"),
                on("T1", "ticket.reopened", "2026-03-03T15:00:00+08:00", "\"reason\":\"x\""))
                .clockAt("2026-03-03T16:00:00+08:00");
        assertTrue(s.findings("complaint.dissatisfied", "violation").isEmpty());
    }

    @Test
    @DisplayName("CODE 4.5.3: a complaint from the developer's CS centre is reported back within 12 h of its resolution")
    void developerReport() {
        String dev = "\"kind\":\"complaint\",\"channel\":\"developer\",\"household\":\"1-1-101\",\"category\":\"developer\"";
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", dev),
                on("T1", "ticket.resolved", "2026-03-02T10:00:00+08:00", "")).clockAt("2026-03-02T21:59:00+08:00");
        assertTrue(s.findings("complaint.developer-report-12h", "violation").isEmpty());
        s.clockAt("2026-03-02T22:00:00+08:00");
        assertFinding(s.only("complaint.developer-report-12h", "violation"), "T1", "2026-03-02T22:00:00+08:00",
                "2026-03-02T22:00:00+08:00", "supervisor");
        Scenario met = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", dev),
                on("T1", "ticket.resolved", "2026-03-02T10:00:00+08:00", ""),
                on("T1", "ticket.reported", "2026-03-02T22:00:00+08:00", "\"to\":\"developer_cs\""))
                .clockAt("2026-03-03T00:00:00+08:00");
        assertTrue(met.findings("complaint.developer-report-12h", "violation").isEmpty());
    }

    @Test
    @DisplayName("BJ 投诉规程 五.5 \"投诉处理完毕后...立即对业主进行回访\": a complaint closed straight after the reply is followed up from its closing")
    void followUpAfterClosingWithoutResolution() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", APP),
                on("T1", "ticket.contacted", "2026-03-02T09:30:00+08:00", ""),
                on("T1", "ticket.replied", "2026-03-02T11:00:00+08:00", "\"method\":\"phone\""),
                on("T1", "ticket.closed", "2026-03-02T12:00:00+08:00", ""))
                .clockAt("2026-03-03T11:59:00+08:00");
        assertTrue(s.findings("complaint.follow-up", "violation").isEmpty());
        s.clockAt("2026-03-03T12:00:00+08:00");
        assertFinding(s.only("complaint.follow-up", "violation"), "T1", "2026-03-03T12:00:00+08:00",
                "2026-03-03T12:00:00+08:00", "supervisor");
        pm.monitor.finding.Kpi kpi = s.engine().kpis().snapshot().stream()
                .filter(k -> k.kpi().equals("kpi.follow-up") && k.period().equals("2026-03-02")).findFirst().orElseThrow();
        assertEquals(0, kpi.numerator());
        assertEquals(1, kpi.denominator());
        // followed up in time, or at the very instant of the closing (recorded first): met
        for (String at : List.of("2026-03-03T12:00:00+08:00", "2026-03-02T12:00:00+08:00")) {
            Scenario met = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", APP),
                    on("T1", "ticket.replied", "2026-03-02T11:00:00+08:00", "\"method\":\"phone\""));
            if (at.startsWith("2026-03-02")) {
                met.given(on("T1", "ticket.followed_up", at, "\"satisfied\":true"),
                        on("T1", "ticket.closed", "2026-03-02T12:00:00+08:00", ""));
            } else {
                met.given(on("T1", "ticket.closed", "2026-03-02T12:00:00+08:00", ""),
                        on("T1", "ticket.followed_up", at, "\"satisfied\":true"));
            }
            met.clockAt("2026-03-05T00:00:00+08:00");
            assertTrue(met.findings("complaint.follow-up", "violation").isEmpty(), at + ": " + met.findings());
        }
    }

    @Test
    @DisplayName("BJ 投诉规程 五.5: a follow-up stamped at the same instant as the resolution, recorded first, meets it")
    void followUpSameInstantAsResolution() {
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", APP),
                on("T1", "ticket.followed_up", "2026-03-02T12:00:00+08:00", "\"satisfied\":true"),
                on("T1", "ticket.resolved", "2026-03-02T12:00:00+08:00", ""))
                .clockAt("2026-03-05T00:00:00+08:00");
        assertTrue(s.findings("complaint.follow-up", "violation").isEmpty(), s.findings().toString());
    }
}
