package pm.monitor.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static pm.monitor.support.Scenario.event;
import static pm.monitor.support.Scenario.on;
import static pm.monitor.support.Scenario.received;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Kpi;
import pm.monitor.support.Scenario;

/** The KPIs other than timeliness and response, each on a hand-counted month. */
class KpiReportedTest {

    private static Kpi month(Scenario s, String kpi) {
        return s.engine().kpis().snapshot().stream().filter(k -> k.kpi().equals(kpi) && k.period().equals("2026-03"))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kpi + " for 2026-03"));
    }

    private static String ratio(Kpi k) {
        return k.numerator() + "/" + k.denominator();
    }

    @Test
    @DisplayName("kpi.follow-up: resolved complaints followed up, counted once decided; under 100% alerts the supervisor")
    void followUp() {
        String c = "\"kind\":\"complaint\",\"channel\":\"app\",\"category\":\"service\",\"household\":\"1-1-10";
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", c + "1\""),
                on("T1", "ticket.resolved", "2026-03-02T10:00:00+08:00", ""),
                on("T1", "ticket.followed_up", "2026-03-02T12:00:00+08:00", "\"satisfied\":true"),
                received("T2", "2026-03-02T09:00:00+08:00", c + "2\""),
                on("T2", "ticket.resolved", "2026-03-02T10:00:00+08:00", ""))
                .clockAt("2026-03-03T09:59:00+08:00");
        assertEquals("1/1", ratio(month(s, "kpi.follow-up")), "T2's follow-up is not due yet");
        s.clockAt("2026-03-03T10:00:00+08:00");
        assertEquals("1/2", ratio(month(s, "kpi.follow-up")));
        assertEquals("supervisor", s.findings("kpi.follow-up", "alert").get(0).role());
    }

    @Test
    @DisplayName("kpi.repair-completion and kpi.rework: repairs done within 2 working days; reopened within 30 days")
    void repairs() {
        String r = "\"kind\":\"repair\",\"channel\":\"phone\",\"household\":\"1-1-10";
        Scenario s = new Scenario().given(received("R1", "2026-03-02T09:00:00+08:00", r + "1\""),
                on("R1", "ticket.resolved", "2026-03-03T10:00:00+08:00", ""),
                on("R1", "ticket.reopened", "2026-03-20T10:00:00+08:00", "\"reason\":\"leaks again\""),
                received("R2", "2026-03-02T09:00:00+08:00", r + "2\""),
                on("R2", "ticket.resolved", "2026-03-06T10:00:00+08:00", ""))
                .clockAt("2026-03-31T00:00:00+08:00");
        assertEquals("1/2", ratio(month(s, "kpi.repair-completion")));
        assertEquals("1/2", ratio(month(s, "kpi.rework")));
    }

    @Test
    @DisplayName("kpi.calls: calls answered within three rings, a missed call counted as not")
    void calls() {
        Scenario s = new Scenario().given(event("call.answered", "2026-03-02T09:00:00+08:00", "\"call\":\"K1\",\"rings\":2"),
                event("call.answered", "2026-03-02T09:10:00+08:00", "\"call\":\"K2\",\"rings\":5"),
                event("call.missed", "2026-03-02T09:20:00+08:00", "\"call\":\"K3\""));
        assertEquals("1/3", ratio(month(s, "kpi.calls")));
        assertEquals(null, month(s, "kpi.calls").target(), "reported only");
    }

    @Test
    @DisplayName("kpi.patrol-coverage: building-days patrolled over building-days decided; under 100% alerts the centre manager")
    void patrolCoverage() {
        Scenario s = new Scenario().given(event("building.registered", "2026-03-01T10:00:00+08:00", "\"building\":\"B1\""),
                event("patrol.completed", "2026-03-02T10:00:00+08:00", "\"patrol\":\"P1\",\"kind\":\"building\",\"building\":\"B1\""))
                .clockAt("2026-03-04T00:00:00+08:00");
        assertEquals("1/2", ratio(month(s, "kpi.patrol-coverage")));
        assertEquals("centre_manager", s.findings("kpi.patrol-coverage", "alert").get(0).role());
    }

    @Test
    @DisplayName("kpi.complaints-by-category: complaints per category with the collective, major and repeat counts")
    void byCategory() {
        String e = "\"kind\":\"complaint\",\"channel\":\"phone\",\"category\":\"environment\",\"household\":\"1-1-101\"";
        Scenario s = new Scenario().given(received("T1", "2026-03-02T09:00:00+08:00", e),
                received("T2", "2026-03-03T09:00:00+08:00", e),
                received("T3", "2026-03-03T09:00:00+08:00", e.replace("environment", "security").replace("101", "102")),
                on("T3", "ticket.flagged", "2026-03-04T09:00:00+08:00", "\"flag\":\"media\""));
        Kpi k = month(s, "kpi.complaints-by-category");
        assertEquals(3.0, k.value());
        Map<String, Long> b = k.breakdown();
        assertEquals(2L, b.get("environment"));
        assertEquals(1L, b.get("security"));
        assertEquals(0L, b.get("housing"));
        assertEquals(1L, b.get("repeat"));
        assertEquals(1L, b.get("major"));
        assertEquals(0L, b.get("collective"));
    }
}
