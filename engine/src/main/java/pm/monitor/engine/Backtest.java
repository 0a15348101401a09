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

    /**
     * One finding that changed, by its rule, kind, community and subject: {@code new} (only under
     * the new rules), {@code gone} (only under the old) or {@code moved} (under both, at another
     * time: a deadline that moved with a limit). {@code oldAt}/{@code newAt} are null where none.
     */
    public record Change(String change, String rule, String kind, String community, String subject, String ticket,
                         Finding oldFinding, Finding newFinding) {
        public Map<String, Object> toMap() {
            Finding any = newFinding != null ? newFinding : oldFinding;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("change", change);
            m.put("rule", rule);
            m.put("kind", kind);
            m.put("community", community);
            m.put("subject", subject);
            m.put("ticket", ticket);
            m.put("oldAt", oldFinding == null ? null : pm.monitor.calendar.Times.iso(oldFinding.at(), any.zone()));
            m.put("newAt", newFinding == null ? null : pm.monitor.calendar.Times.iso(newFinding.at(), any.zone()));
            return m;
        }
    }

    /** Which findings and KPIs are compared: null or empty sets mean all. */
    public record Filter(java.util.Set<String> rules, java.util.Set<String> communities) {
        public static final Filter ALL = new Filter(null, null);

        boolean rule(String r) {
            return rules == null || rules.isEmpty() || rules.contains(r);
        }

        boolean community(String c) {
            return communities == null || communities.isEmpty() || communities.contains(c);
        }
    }

    public record Result(String newVersion, String oldVersion, long events, double seconds,
                         Map<String, Map<String, long[]>> perRule, List<Finding> appeared, List<Finding> disappeared,
                         List<KpiChange> kpis, List<Change> changes) {
        /** Per rule and kind: old, new, and the findings new, gone and moved. */
        public Map<String, Map<String, long[]>> changeCounts() {
            Map<String, Map<String, long[]>> m = new TreeMap<>();
            perRule.forEach((rule, kinds) -> kinds.forEach((kind, c) ->
                    m.computeIfAbsent(rule, r -> new TreeMap<>()).put(kind, new long[] {c[0], c[1], 0, 0, 0})));
            for (Change c : changes) {
                long[] x = m.computeIfAbsent(c.rule(), r -> new TreeMap<>()).computeIfAbsent(c.kind(), k -> new long[5]);
                x[c.change().equals("new") ? 2 : c.change().equals("gone") ? 3 : 4]++;
            }
            return m;
        }

        public Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("newVersion", newVersion);
            m.put("oldVersion", oldVersion);
            m.put("events", events);
            m.put("seconds", seconds);
            m.put("eventsPerSecond", seconds > 0 ? events / seconds : null);
            Map<String, Object> rules = new TreeMap<>();
            changeCounts().forEach((rule, kinds) -> {
                Map<String, Object> k = new TreeMap<>();
                kinds.forEach((kind, c) -> {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("old", c[0]);
                    x.put("new", c[1]);
                    x.put("added", c[2]);
                    x.put("gone", c[3]);
                    x.put("moved", c[4]);
                    k.put(kind, x);
                });
                rules.put(rule, k);
            });
            m.put("perRule", rules);
            m.put("appeared", appeared.size());
            m.put("disappeared", disappeared.size());
            m.put("added", changes.stream().filter(c -> c.change().equals("new")).count());
            m.put("gone", changes.stream().filter(c -> c.change().equals("gone")).count());
            m.put("moved", changes.stream().filter(c -> c.change().equals("moved")).count());
            m.put("ticketsChanged", changes.stream().map(c -> c.community() + "/" + (c.ticket() != null ? c.ticket()
                    : c.subject())).distinct().count());
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
        return run(inputs, newRules, oldRules, until, from, to, Filter.ALL, threads, progress, cancelled);
    }

    /** As above, comparing only the findings of {@code filter}'s rules and communities (and those communities' KPIs). */
    public static Result run(List<Replay.Input> inputs, RuleSet newRules, RuleSet oldRules, Instant until,
                             Instant from, Instant to, Filter filter, int threads, LongConsumer progress,
                             BooleanSupplier cancelled) {
        long t0 = System.nanoTime();
        long total = inputs.size();
        Replay.Result after = new Replay(newRules, threads).cancelWhen(cancelled)
                .run(inputs, until, progress == null ? null : n -> progress.accept(n / 2));
        Replay.Result before = new Replay(oldRules, threads).cancelWhen(cancelled)
                .run(inputs, until, progress == null ? null : n -> progress.accept(total / 2 + n / 2));
        Parts p = compare(after.findings(), before.findings(), after.kpis(), before.kpis(), from, to, filter);
        return new Result(newRules.version(), oldRules.version(), total, (System.nanoTime() - t0) / 1e9, p.perRule(),
                p.appeared(), p.disappeared(), p.kpiChanges(), changes(p.appeared(), p.disappeared()));
    }

    /** What a comparison of two runs (or of a part of them, for the streaming backtest) found. */
    record Parts(Map<String, Map<String, long[]>> perRule, List<Finding> appeared, List<Finding> disappeared,
                 List<KpiChange> kpiChanges) {
    }

    /** Findings by id and KPI values by KPI, community and period, new against old, in the window and filter. */
    static Parts compare(List<Finding> afterFindings, List<Finding> beforeFindings, List<Kpi> afterKpis,
                         List<Kpi> beforeKpis, Instant from, Instant to, Filter filter) {
        Map<String, Finding> a = index(afterFindings, from, to, filter);
        Map<String, Finding> b = index(beforeFindings, from, to, filter);
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
        Map<String, Kpi> ka = kpis(afterKpis);
        Map<String, Kpi> kb = kpis(beforeKpis);
        List<KpiChange> kpiChanges = new ArrayList<>();
        java.util.TreeSet<String> keys = new java.util.TreeSet<>(ka.keySet());
        keys.addAll(kb.keySet());
        for (String k : keys) {
            Kpi x = kb.get(k);
            Kpi y = ka.get(k);
            Kpi any = y != null ? y : x;
            if (!inWindow(any.period(), from, to) || !filter.community(any.community())) {
                continue;
            }
            String rb = x == null ? null : x.numerator() + "/" + x.denominator();
            String ra = y == null ? null : y.numerator() + "/" + y.denominator();
            if (!java.util.Objects.equals(rb, ra)) {
                kpiChanges.add(new KpiChange(any.kpi(), any.community(), any.period(), x == null ? null : x.value(),
                        y == null ? null : y.value(), rb, ra));
            }
        }
        return new Parts(perRule, appeared, disappeared, kpiChanges);
    }


    /**
     * The findings only one side has, paired by rule, kind, community and subject: a pair (in
     * time order) is a finding that moved; the rest are new or gone. Sorted by community, ticket
     * or subject, then time.
     */
    static List<Change> changes(List<Finding> appeared, List<Finding> disappeared) {
        Map<String, List<Finding>> olds = new LinkedHashMap<>();
        for (Finding f : disappeared) {
            olds.computeIfAbsent(key(f), k -> new ArrayList<>()).add(f);
        }
        List<Change> out = new ArrayList<>();
        for (Finding f : appeared) {
            List<Finding> o = olds.get(key(f));
            Finding old = o == null || o.isEmpty() ? null : o.remove(0);
            out.add(new Change(old == null ? "new" : "moved", f.rule(), f.kind(), f.community(), f.subject(), f.ticket(),
                    old, f));
        }
        olds.values().forEach(list -> list.forEach(f -> out.add(new Change("gone", f.rule(), f.kind(), f.community(),
                f.subject(), f.ticket(), f, null))));
        out.sort(java.util.Comparator.comparing(Change::community)
                .thenComparing(c -> c.ticket() != null ? c.ticket() : c.subject())
                .thenComparing(c -> (c.newFinding() != null ? c.newFinding() : c.oldFinding()).at())
                .thenComparing(Change::rule).thenComparing(Change::kind));
        return out;
    }

    private static String key(Finding f) {
        return f.rule() + "|" + f.kind() + "|" + f.community() + "|" + f.subject();
    }

    private static Map<String, Finding> index(List<Finding> findings, Instant from, Instant to, Filter filter) {
        Map<String, Finding> m = new HashMap<>();
        for (Finding f : findings) {
            if ((from == null || !f.at().isBefore(from)) && (to == null || f.at().isBefore(to))
                    && filter.rule(f.rule()) && filter.community(f.community())) {
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
