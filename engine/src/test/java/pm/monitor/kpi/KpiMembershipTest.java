package pm.monitor.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.support.Scenario.on;
import static pm.monitor.support.Scenario.received;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.finding.Kpi;
import pm.monitor.rules.Problem;
import pm.monitor.rules.RuleBook;
import pm.monitor.rules.RuleSet;
import pm.monitor.support.Rules;
import pm.monitor.support.Scenario;

/**
 * Which rules count toward which KPI is said in the DRL ({@code @kpi}), so a new rule joins a KPI
 * (or stays out of one) without a Java change (issue 18).
 */
class KpiMembershipTest {

    /** A new rule with an id outside {@code repair.*}: a repair's site visit due 2 h after it is received, never met. */
    private static String siteVisit(String annotations) {
        return """
                package site_visit;

                import pm.monitor.fact.*;
                import pm.monitor.calendar.Deadlines;
                import pm.monitor.rules.Duties;
                import pm.monitor.rules.Params;

                global Duties duties;
                global Params params;
                global Deadlines deadlines;

                rule "ticket.site-visit"
                    @id("ticket.site-visit") @clause("CODE 4.4.1") @notify("supervisor") @owner("front_desk: receivedBy") %s
                when
                    CycleStarted( $t : ticket, ticket.repair, $at : at, $by : startedBy )
                then
                    duties.open(drools, $t, deadlines.of($at, params.limit("complaint.contact-2h.limit"), $by));
                end
                """.formatted(annotations);
    }

    private static RuleSet withRule(Path dir, String drl) throws IOException {
        Rules.copyWith(dir, Map.of());
        Files.writeString(dir.resolve("repairs/site-visit.drl"), drl);
        return RuleBook.load(dir, Clock.systemUTC());
    }

    /** A repair done in time by every shipped rule (its deadlines end 03-11 24:00), month March. */
    private static Scenario repair(RuleSet rules) {
        return new Scenario(rules).given(
                received("R1", "2026-03-09T09:00:00+08:00", "\"kind\":\"repair\",\"channel\":\"phone\",\"household\":\"1-1-103\""),
                on("R1", "ticket.dispatched", "2026-03-09T09:05:00+08:00", "\"to\":\"engineering\""),
                on("R1", "ticket.arrived", "2026-03-09T09:30:00+08:00", ""),
                on("R1", "ticket.resolved", "2026-03-09T10:00:00+08:00", ""),
                on("R1", "ticket.followed_up", "2026-03-09T12:00:00+08:00", "\"satisfied\":true"))
                .clockAt("2026-03-12T00:00:00+08:00");
    }

    private static String month(Scenario s, String kpi) {
        Map<String, String> m = new TreeMap<>();
        for (Kpi k : s.engine().kpis().snapshot()) {
            if (k.kpi().equals(kpi)) {
                m.put(k.period(), k.numerator() + "/" + k.denominator());
            }
        }
        return m.get("2026-03");
    }

    @Test
    @DisplayName("A new rule with @kpi(...) counts toward those KPIs, and one without counts toward none, with no Java change")
    void newRuleJoinsTheKpisItNames(@TempDir Path dir) throws IOException {
        Scenario shipped = repair(Rules.real());
        assertEquals("1/1", month(shipped, "kpi.timeliness"));
        assertEquals("1/1", month(shipped, "kpi.repair-timeliness"));

        // its duty is breached at 11:00: the repair is late in the KPIs the rule names
        Scenario joined = repair(withRule(dir.resolve("joined"),
                siteVisit("@kpi(\"kpi.timeliness, kpi.response, kpi.repair-timeliness\")")));
        assertEquals(1, joined.findings("ticket.site-visit", "violation").size());
        assertEquals("0/1", month(joined, "kpi.timeliness"));
        assertEquals("0/1", month(joined, "kpi.repair-timeliness"));
        assertEquals("1/1", month(joined, "kpi.response"), "responded: a breach does not undo the response");

        // the same rule without @kpi: its violation is reported, the KPIs are as without it
        Scenario apart = repair(withRule(dir.resolve("apart"), siteVisit("")));
        assertEquals(1, apart.findings("ticket.site-visit", "violation").size());
        assertEquals("1/1", month(apart, "kpi.timeliness"));
        assertEquals("1/1", month(apart, "kpi.repair-timeliness"));
    }

    @Test
    @DisplayName("A misspelt @kpi, a KPI counted from events, or @kpi on an alert rule is a problem at the rule's line")
    void wrongKpiIsAProblemAtItsLine(@TempDir Path dir) throws IOException {
        Rules.copyWith(dir, Map.of());
        String drl = siteVisit("@kpi(\"kpi.timelines\")")
                + siteVisit("@kpi(\"kpi.calls\")").replace("ticket.site-visit", "ticket.site-visit-2")
                        .replaceAll("(?s)^.*?(?=rule )", "")
                + siteVisit("@kind(\"alert\") @kpi(\"kpi.timeliness\")").replace("ticket.site-visit", "ticket.site-visit-3")
                        .replaceAll("(?s)^.*?(?=rule )", "");
        Files.writeString(dir.resolve("repairs/site-visit.drl"), drl);
        List<String> problems = RuleBook.validate(dir).stream().map(Problem::toString)
                .filter(p -> p.contains("@kpi")).toList();
        String list = String.join(", ", KpiMembership.FROM_DUTIES);
        assertEquals(List.of(
                "repairs/site-visit.drl:" + lineOf(drl, "rule \"ticket.site-visit\"") + ": rule \"ticket.site-visit\": @kpi"
                        + " kpi.timelines is not a KPI counted from rules' duties (" + list + ") (@kpi 指标不存在)",
                "repairs/site-visit.drl:" + lineOf(drl, "rule \"ticket.site-visit-2\"") + ": rule \"ticket.site-visit-2\": @kpi"
                        + " kpi.calls is not a KPI counted from rules' duties (" + list + "); kpi.calls is counted from"
                        + " events (@kpi 指标不存在)",
                "repairs/site-visit.drl:" + lineOf(drl, "rule \"ticket.site-visit-3\"") + ": rule \"ticket.site-visit-3\": @kpi"
                        + " on a rule of @kind alert: only duties of kind violation count toward KPIs"),
                problems.stream().sorted().toList());
        assertTrue(RuleBook.validate(Rules.dir()).stream().noneMatch(p -> p.message().contains("@kpi")),
                "the shipped rules name only KPIs that exist");
    }

    private static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle);
    }
}
