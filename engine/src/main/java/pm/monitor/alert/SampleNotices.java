package pm.monitor.alert;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import pm.monitor.report.Labels;
import pm.monitor.rules.LiveRuleMetadata;
import pm.monitor.store.AlertStore;

/**
 * Made-up notices a template is tried on before it is saved, and previewed with when no real
 * alert is named: a late ticket (a first message with a deadline to acknowledge), a KPI below its
 * target that climbed one role, and an emergency's addendum with an incident and folded findings,
 * so every variable and every section is exercised. Rules are named from the live rule base.
 */
public final class SampleNotices {
    private SampleNotices() {
    }

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final String URL = "https://monitor.example.com/#/alert?id=a0123456789abcdef0123";

    public static List<Notice> all() {
        List<String> rules = new ArrayList<>(new TreeSet<>(LiveRuleMetadata.names().keySet()));
        String rule = rules.isEmpty() ? "sample.rule" : rules.get(0);
        String incidentRule = new TreeSet<>(LiveRuleMetadata.emergencies()).stream().findFirst()
                .orElse(rules.size() < 2 ? rule : rules.get(rules.size() - 1));
        String kpi = Labels.all(Labels.ZH).get("kpi").keySet().stream().findFirst().orElse("kpi.sample");
        Instant at = Instant.parse("2026-03-02T04:00:00Z");
        Map<String, AlertStore.TicketFacts> facts = Map.of("T0307-0012", new AlertStore.TicketFacts("environment",
                "楼道垃圾两天没人清理，气味很大"), "T0302-0101", new AlertStore.TicketFacts("equipment", "电梯停运一整天"));
        List<Notice> out = new ArrayList<>();
        out.add(new Notice("a0123456789abcdef0123-0", false, "a0123456789abcdef0123", 0, "C0001", rule, "violation",
                "supervisor", "supervisor", null, null, false, at, at.plus(Duration.ofMinutes(30)), ZONE,
                List.of(map("subject", "T0307-0012", "at", "2026-03-02T11:40:00+08:00", "dueAt", "2026-03-02T11:00:00+08:00",
                        "clause", "CODE 4.4.1", "details", map("ticket", "T0307-0012"))), 0, URL, "翠湖苑", facts));
        out.add(new Notice("a0123456789abcdef0124-1", false, "a0123456789abcdef0124", 1, "C0001", kpi, "alert",
                "centre_manager", "supervisor", "supervisor", Duration.ofMinutes(30), false, at,
                at.plus(Duration.ofMinutes(60)), ZONE, List.of(map("subject", "2026-03", "at", "2026-03-02T12:00:00+08:00",
                        "details", map("kpi", kpi, "period", "2026-03", "value", 0.95, "target", 1.0,
                                "numerator", 19, "denominator", 20))), 0, URL, "翠湖苑", Map.of()));
        out.add(new Notice("a0123456789abcdef0125-0+0123456789abcdef", true, "a0123456789abcdef0125", 0, "C0001",
                incidentRule, "alert", "general_manager", "general_manager", null, null, true, at, null, ZONE, List.of(
                map("subject", "INC-0302-1", "at", "2026-03-02T10:00:00+08:00", "clause", "CODE 4.5.1",
                        "details", map("incident", "INC-0302-1", "households", List.of("1-101", "1-102", "1-103", "2-201", "2-202"),
                                "persons", 12, "tickets", List.of("T0302-0101", "T0302-0102", "T0302-0103"))),
                map("subject", "T0302-0104", "at", "2026-03-02T10:05:00+08:00", "details", map("ticket", "T0302-0104"))),
                3, URL, "翠湖苑", facts));
        return out;
    }

    /** Who the samples @-mention when tried with mentions. */
    public static final List<String> MOBILES = List.of("13800000001");

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
