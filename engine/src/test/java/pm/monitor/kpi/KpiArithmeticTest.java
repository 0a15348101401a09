package pm.monitor.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static pm.monitor.support.Scenario.on;
import static pm.monitor.support.Scenario.received;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Kpi;
import pm.monitor.support.Scenario;

/** KPI arithmetic on hand-counted scenarios. */
class KpiArithmeticTest {

    private static Map<String, String> values(Scenario s, String kpi) {
        Map<String, String> m = new TreeMap<>();
        for (Kpi k : s.engine().kpis().snapshot()) {
            if (k.kpi().equals(kpi)) {
                m.put(k.period(), k.numerator() + "/" + k.denominator());
            }
        }
        return m;
    }

    @Test
    @DisplayName("CODE 4.4.10: timeliness counts a ticket once per granularity, in the day of its last deadline (hand-counted)")
    void timeliness() {
        String phone = "\"kind\":\"complaint\",\"channel\":\"phone\",\"household\":\"1-1-101\",\"category\":\"service\"";
        Scenario s = new Scenario().given(
                // T1: deadlines 03-02 11:00, 03-02 24:00, 03-03 11:00, all met: day 03-03 (the last), W10, March.
                received("T1", "2026-03-02T09:00:00+08:00", phone),
                on("T1", "ticket.contacted", "2026-03-02T10:00:00+08:00", ""),
                on("T1", "ticket.resolved", "2026-03-02T11:00:00+08:00", ""),
                on("T1", "ticket.replied", "2026-03-02T11:30:00+08:00", "\"method\":\"phone\""),
                on("T1", "ticket.followed_up", "2026-03-02T15:00:00+08:00", "\"satisfied\":true"),
                // T2, Sunday 03-08: contact met, the same-day reply missed at 24:00 (belongs to 03-08, week W10).
                received("T2", "2026-03-08T20:00:00+08:00", phone.replace("1-1-101", "1-1-102")),
                on("T2", "ticket.contacted", "2026-03-08T21:00:00+08:00", ""),
                // T3, Monday 03-09 (week W11): a repair done in time; deadlines 03-09, 03-10, 03-11 24:00: day 03-11.
                received("R3", "2026-03-09T09:00:00+08:00", "\"kind\":\"repair\",\"channel\":\"phone\",\"household\":\"1-1-103\""),
                on("R3", "ticket.dispatched", "2026-03-09T09:05:00+08:00", "\"to\":\"engineering\""),
                on("R3", "ticket.arrived", "2026-03-09T09:30:00+08:00", ""),
                on("R3", "ticket.resolved", "2026-03-09T10:00:00+08:00", ""),
                on("R3", "ticket.followed_up", "2026-03-09T12:00:00+08:00", "\"satisfied\":true"))
                .clockAt("2026-03-12T00:00:00+08:00");
        assertEquals(Map.of("2026-03-03", "1/1", "2026-03-08", "0/1", "2026-03-11", "1/1", "2026-W10", "1/2",
                "2026-W11", "1/1", "2026-03", "2/3"), values(s, "kpi.timeliness"));
        assertEquals(Map.of("2026-03-11", "1/1", "2026-W11", "1/1", "2026-03", "1/1"), values(s, "kpi.repair-timeliness"));
        assertEquals(Map.of("2026-03-02", "1/1", "2026-03-08", "1/1", "2026-03-09", "1/1", "2026-W10", "2/2",
                "2026-W11", "1/1", "2026-03", "3/3"), values(s, "kpi.response"));
        // one alert per period that fell: W10 and March, when T2's reply was missed (the day 03-08, 0/1,
        // has fewer tickets than kpi.alert.min-denominator.day behind it: no alert)
        List<String> alerts = s.findings("kpi.timeliness", "alert").stream().map(f -> f.subject()).sorted().toList();
        assertEquals(List.of("2026-03", "2026-W10"), alerts);
        s.findings("kpi.timeliness", "alert").forEach(f -> assertEquals(Scenario.t("2026-03-09T00:00:00+08:00"), f.at()));
        assertEquals("centre_manager", s.findings("kpi.timeliness", "alert").get(0).role());
    }

    @Test
    @DisplayName("A KPI alerts once per period, and again only after it recovered and fell again")
    void alertOnceThenAgainAfterRecovery() {
        Scenario s = new Scenario();
        s.given(followUp("F0", "2026-03-10T08:00:00+08:00", false));
        for (int i = 1; i <= 9; i++) {
            s.given(followUp("F" + i, "2026-03-10T09:0" + i + ":00+08:00", true)); // 9/10 = 90% ≥ 85%: recovered
        }
        assertEquals(1, s.findings("kpi.satisfaction", "alert").stream().filter(f -> f.subject().equals("2026-03")).count());
        s.given(followUp("FX", "2026-03-10T10:00:00+08:00", false)); // 9/11 = 81.8%: falls again
        List<String> month = s.findings("kpi.satisfaction", "alert").stream().filter(f -> f.subject().equals("2026-03"))
                .map(f -> f.at().toString()).toList();
        assertEquals(List.of("2026-03-10T00:00:00Z", "2026-03-10T02:00:00Z"), month);
    }

    @Test
    @DisplayName("A KPI back at its target after a fall is reported once, at the event time of the value that brought it back")
    void recoveryAtEventTime() {
        Scenario s = new Scenario();
        s.engine().kpis().recordRecoveries();
        s.given(followUp("F0", "2026-03-10T08:00:00+08:00", false)); // 0/1: March falls
        for (int i = 1; i <= 9; i++) {
            s.given(followUp("F" + i, "2026-03-10T09:0" + i + ":00+08:00", true));
        }
        // 5/6 = 83.3% is still below 85%; 6/7 = 85.7% is back at 09:06
        List<KpiRecovered> back = s.engine().kpis().drainRecovered().stream()
                .filter(r -> r.kpi().equals("kpi.satisfaction") && r.period().equals("2026-03")).toList();
        assertEquals(1, back.size(), back.toString());
        assertEquals(Scenario.t("2026-03-10T09:06:00+08:00"), back.get(0).at());
        assertEquals(6, back.get(0).numerator());
        assertEquals(7, back.get(0).denominator());
        assertEquals(0.85, back.get(0).target(), 1e-9);
        assertEquals(List.of(), s.engine().kpis().drainRecovered(), "drained once");
        s.given(followUp("FX", "2026-03-10T10:00:00+08:00", false)); // 9/11: falls again, no recovery
        assertEquals(0, s.engine().kpis().drainRecovered().stream().filter(r -> r.period().equals("2026-03")).count());
    }

    @Test
    @DisplayName("A day's KPI alerts only with kpi.alert.min-denominator.day (10) items behind it; its week and month at the first miss")
    void dayNeedsAMinimumSample() {
        Scenario s = new Scenario();
        s.given(followUp("F0", "2026-03-10T05:00:00+08:00", false), followUp("F1", "2026-03-10T05:01:00+08:00", true),
                followUp("F2", "2026-03-10T05:02:00+08:00", false)); // 1 of 3 at 05:00: the day says nothing yet
        List<String> subjects = s.findings("kpi.satisfaction", "alert").stream().map(f -> f.subject()).sorted().toList();
        assertEquals(List.of("2026-03", "2026-W11"), subjects);
        for (int i = 3; i < 10; i++) {
            s.given(followUp("F" + i, "2026-03-10T06:0" + i + ":00+08:00", i % 2 == 0)); // the tenth: 4/10 = 40%
        }
        assertEquals(1, s.findings("kpi.satisfaction", "alert").stream().filter(f -> f.subject().equals("2026-03-10")).count(),
                "the day alerts once it has 10 follow-ups behind it");
    }

    private static String followUp(String ticket, String at, boolean satisfied) {
        return "{\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"ticket\":\"" + ticket + "\",\"kind\":\"help\","
                + "\"channel\":\"phone\",\"receivedBy\":\"a1\"}\n"
                + "{\"type\":\"ticket.followed_up\",\"at\":\"" + at + "\",\"ticket\":\"" + ticket
                + "\",\"satisfied\":" + satisfied + "}";
    }

    @Test
    @DisplayName("Periods are local: midnight in the community's zone, ISO weeks across the year's end")
    void periodBoundaries() {
        PeriodKeys p = new PeriodKeys(ZoneId.of("Asia/Shanghai"));
        long d1 = p.day(Scenario.t("2026-03-08T23:59:00+08:00"));
        long d2 = p.day(Scenario.t("2026-03-08T16:00:00Z"));
        assertEquals("2026-03-08", PeriodKeys.label(PeriodKeys.DAY, d1));
        assertEquals("2026-03-09", PeriodKeys.label(PeriodKeys.DAY, d2), "16:00 UTC is midnight in Shanghai");
        assertEquals("2026-W10", PeriodKeys.label(PeriodKeys.WEEK, p.week(d1)));
        assertEquals("2026-W11", PeriodKeys.label(PeriodKeys.WEEK, p.week(d2)));
        assertEquals("2026-W01", PeriodKeys.label(PeriodKeys.WEEK, p.week(java.time.LocalDate.of(2025, 12, 29).toEpochDay())));
        assertEquals("2025-W01", PeriodKeys.label(PeriodKeys.WEEK, p.week(java.time.LocalDate.of(2024, 12, 30).toEpochDay())));
        assertEquals("2026-W53", PeriodKeys.label(PeriodKeys.WEEK, p.week(java.time.LocalDate.of(2027, 1, 1).toEpochDay())));
        assertEquals("2025-12", PeriodKeys.label(PeriodKeys.MONTH, p.month(java.time.LocalDate.of(2025, 12, 29).toEpochDay())));
    }
}
