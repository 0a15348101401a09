package pm.monitor.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Kpi;
import pm.monitor.rules.RuleSet;

/**
 * What a rules change would have done: the same events replayed under the new rules and the
 * old, side by side. Nothing is stored and nothing is sent; the result lists, per rule, the
 * findings of each kind under each version, the findings that appear or disappear, and per
 * community the KPI values that change.
 */
public final class Backtest {
    private Backtest() {
    }

    public record KpiChange(String kpi, String community, String period, Double before, Double after,
                            String beforeRatio, String afterRatio) {
    }

    public record Result(String newVersion, String oldVersion, long events, double seconds,
                         Map<String, Map<String, long[]>> perRule, List<Finding> appeared, List<Finding> disappeared,
                         List<KpiChange> kpis) {
        public Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("newVersion", newVersion);
            m.put("oldVersion", oldVersion);
            m.put("events", events);
            m.put("seconds", seconds);
            m.put("eventsPerSecond", seconds > 0 ? events / seconds : null);
            Map<String, Object> rules = new TreeMap<>();
            perRule.forEach((rule, kinds) -> {
                Map<String, Object> k = new TreeMap<>();
                kinds.forEach((kind, c) -> k.put(kind, Map.of("old", c[0], "new", c[1])));
                rules.put(rule, k);
            });
            m.put("perRule", rules);
            m.put("appeared", appeared.size());
            m.put("disappeared", disappeared.size());
            m.put("kpiChanges", kpis.size());
            return m;
        }
    }

    /**
     * @param from,to only findings and KPI periods from this window are compared (null: all); the
     *                events before {@code from} are still replayed, so tickets open at its start are whole
     */
    public static Result run(List<Replay.Input> inputs, RuleSet newRules, RuleSet oldRules, Instant until,
                             Instant from, Instant to, int threads, LongConsumer progress, BooleanSupplier cancelled) {
        long t0 = System.nanoTime();
        long total = inputs.size();
        Replay.Result after = new Replay(newRules, threads).cancelWhen(cancelled)
                .run(inputs, until, progress == null ? null : n -> progress.accept(n / 2));
        Replay.Result before = new Replay(oldRules, threads).cancelWhen(cancelled)
                .run(inputs, until, progress == null ? null : n -> progress.accept(total / 2 + n / 2));
        Map<String, Finding> a = index(after.findings(), from, to);
        Map<String, Finding> b = index(before.findings(), from, to);
        Map<String, Map<String, long[]>> perRule = new TreeMap<>();
        b.values().forEach(f -> perRule.computeIfAbsent(f.rule(), r -> new TreeMap<>())
                .computeIfAbsent(f.kind(), k -> new long[2])[0]++);
        a.values().forEach(f -> perRule.computeIfAbsent(f.rule(), r -> new TreeMap<>())
                .computeIfAbsent(f.kind(), k -> new long[2])[1]++);
        List<Finding> appeared = new ArrayList<>();
        a.forEach((id, f) -> {
            if (!b.containsKey(id)) {
                appeared.add(f);
            }
        });
        List<Finding> disappeared = new ArrayList<>();
        b.forEach((id, f) -> {
            if (!a.containsKey(id)) {
                disappeared.add(f);
            }
        });
        appeared.sort(Replay.ORDER);
        disappeared.sort(Replay.ORDER);
        Map<String, Kpi> ka = kpis(after.kpis());
        Map<String, Kpi> kb = kpis(before.kpis());
        List<KpiChange> changes = new ArrayList<>();
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(ka.keySet());
        keys.addAll(kb.keySet());
        for (String k : keys) {
            Kpi x = kb.get(k);
            Kpi y = ka.get(k);
            Kpi any = y != null ? y : x;
            if (!inWindow(any.period(), from, to)) {
                continue;
            }
            String rb = x == null ? null : x.numerator() + "/" + x.denominator();
            String ra = y == null ? null : y.numerator() + "/" + y.denominator();
            if (!java.util.Objects.equals(rb, ra)) {
                changes.add(new KpiChange(any.kpi(), any.community(), any.period(), x == null ? null : x.value(),
                        y == null ? null : y.value(), rb, ra));
            }
        }
        return new Result(newRules.version(), oldRules.version(), total, (System.nanoTime() - t0) / 1e9, perRule,
                appeared, disappeared, changes);
    }

    private static Map<String, Finding> index(List<Finding> findings, Instant from, Instant to) {
        Map<String, Finding> m = new HashMap<>();
        for (Finding f : findings) {
            if ((from == null || !f.at().isBefore(from)) && (to == null || f.at().isBefore(to))) {
                m.put(f.id(), f);
            }
        }
        return m;
    }

    private static Map<String, Kpi> kpis(List<Kpi> kpis) {
        Map<String, Kpi> m = new HashMap<>();
        for (Kpi k : kpis) {
            m.put(k.kpi() + "|" + k.community() + "|" + k.period(), k);
        }
        return m;
    }

    /** A period is compared when its first day is within the window (a month or week of it counts). */
    private static boolean inWindow(String period, Instant from, Instant to) {
        if (from == null && to == null) {
            return true;
        }
        long[] p = pm.monitor.kpi.PeriodKeys.parse(period);
        if (p == null) {
            return true;
        }
        java.time.LocalDate first = p[0] == pm.monitor.kpi.PeriodKeys.DAY ? java.time.LocalDate.ofEpochDay(p[1])
                : p[0] == pm.monitor.kpi.PeriodKeys.MONTH
                ? java.time.LocalDate.of((int) (p[1] / 12), (int) (p[1] % 12) + 1, 1)
                : java.time.LocalDate.of((int) (p[1] / 100), 1, 4).with(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR, p[1] % 100)
                        .with(java.time.DayOfWeek.MONDAY);
        java.time.LocalDate fromDay = from == null ? null : java.time.LocalDate.ofInstant(from, java.time.ZoneOffset.ofHours(8));
        java.time.LocalDate toDay = to == null ? null : java.time.LocalDate.ofInstant(to, java.time.ZoneOffset.ofHours(8));
        java.time.LocalDate last = p[0] == pm.monitor.kpi.PeriodKeys.DAY ? first
                : p[0] == pm.monitor.kpi.PeriodKeys.MONTH ? first.plusMonths(1).minusDays(1) : first.plusDays(6);
        return (fromDay == null || !last.isBefore(fromDay)) && (toDay == null || first.isBefore(toDay));
    }
}
