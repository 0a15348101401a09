package pm.monitor.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import pm.monitor.calendar.Limit;
import pm.monitor.rules.RuleInfo;
import pm.monitor.rules.RuleSet;
import pm.monitor.store.ReportStore.TicketSteps;

/**
 * How long things take, not only how often they are late: the median and 90th percentile of
 * each step of the tickets received in a period, per community, complaint category or channel,
 * with the handbook limits of the rules that measure the same step ({@code @measures} in rules/)
 * beside them.
 *
 * <p>Steps, each from the first time of its start to the first time of its end (a reopened
 * ticket's later cycles are not measured again): contact, reply, arrival and resolution from
 * receipt; follow-up from the first resolution. A ticket not yet at a step is not in that step's
 * figures ({@code n} says how many are). Percentiles are interpolated between ranks, as
 * PostgreSQL's {@code percentile_cont}.
 */
public final class TicketTimes {
    public static final List<String> METRICS = List.of("contact", "reply", "arrival", "resolution", "follow-up");
    public static final List<String> GROUPS = List.of("community", "category", "channel");

    private TicketTimes() {
    }

    /** The step's duration for one ticket, or null when it has not reached it. */
    static Duration of(String metric, TicketSteps s) {
        Instant start = metric.equals("follow-up") ? s.resolved() : s.received();
        Instant end = switch (metric) {
            case "contact" -> s.contacted();
            case "reply" -> s.replied();
            case "arrival" -> s.arrived();
            case "resolution" -> s.resolved();
            default -> s.followedUp();
        };
        return start == null || end == null || end.isBefore(start) ? null : Duration.between(start, end);
    }

    /** The p-th quantile (0..1) of sorted values, interpolated between ranks. */
    static double quantile(double[] sorted, double p) {
        double rank = p * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    /** n, median and p90 in minutes (one decimal) of some durations; the figures are null when n is 0. */
    static Map<String, Object> figures(List<Double> minutes) {
        double[] v = minutes.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", v.length);
        m.put("median", v.length == 0 ? null : Math.round(quantile(v, 0.5) * 10) / 10.0);
        m.put("p90", v.length == 0 ? null : Math.round(quantile(v, 0.9) * 10) / 10.0);
        return m;
    }

    /**
     * The table: one row per group value (community code, category or channel), most tickets
     * first, and the total over them all.
     *
     * @param steps the tickets received in the period, each community's in its own zone
     */
    public static Map<String, Object> build(List<TicketSteps> steps, String by, RuleSet rules) {
        if (!GROUPS.contains(by)) {
            throw new IllegalArgumentException("by must be one of " + GROUPS + ", not " + by);
        }
        Map<String, List<TicketSteps>> groups = new TreeMap<>(NaturalOrder.INSTANCE);
        for (TicketSteps s : steps) {
            String key = switch (by) {
                case "community" -> s.community();
                case "category" -> s.category();
                default -> s.channel();
            };
            groups.computeIfAbsent(key == null ? "" : key, k -> new ArrayList<>()).add(s);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        groups.forEach((key, list) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", key.isEmpty() ? null : key);
            row.put("tickets", list.size());
            row.put("metrics", metrics(list));
            rows.add(row);
        });
        rows.sort((a, b) -> Integer.compare((int) b.get("tickets"), (int) a.get("tickets")));
        Map<String, Object> total = new LinkedHashMap<>();
        total.put("tickets", steps.size());
        total.put("metrics", metrics(steps));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("by", by);
        out.put("metrics", METRICS);
        out.put("empty", steps.isEmpty());
        out.put("rows", rows);
        out.put("total", total);
        out.put("limits", limits(rules));
        return out;
    }

    private static Map<String, Object> metrics(List<TicketSteps> list) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String metric : METRICS) {
            List<Double> minutes = new ArrayList<>();
            for (TicketSteps s : list) {
                Duration d = of(metric, s);
                if (d != null) {
                    minutes.add(d.toMillis() / 60_000.0);
                }
            }
            m.put(metric, figures(minutes));
        }
        return m;
    }

    /**
     * Per metric, the rules that measure it ({@code @measures}) and their limits as the
     * parameters file says (company defaults; a community's override is in its section).
     */
    static Map<String, List<Map<String, Object>>> limits(RuleSet rules) {
        Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
        METRICS.forEach(m -> out.put(m, new ArrayList<>()));
        java.util.Set<String> seen = new java.util.HashSet<>();
        Map<String, Object> defaults = rules.parameters().defaults();
        for (RuleInfo r : rules.rules()) {
            if (r.measures() == null || !out.containsKey(r.measures()) || !seen.add(r.id())) {
                continue;
            }
            List<Map<String, Object>> limits = new ArrayList<>();
            new TreeMap<>(defaults).forEach((key, value) -> {
                if (key.startsWith(r.id() + ".") && (value instanceof Limit || value instanceof Duration)) {
                    Map<String, Object> l = new LinkedHashMap<>();
                    l.put("parameter", key);
                    Limit limit = value instanceof Limit x ? x : new Limit(Limit.Kind.DURATION, (Duration) value, 0);
                    l.put("kind", limit.kind().name().toLowerCase().replace('_', '-'));
                    l.put("minutes", limit.kind() == Limit.Kind.DURATION ? limit.duration().toMinutes() : null);
                    l.put("workingDays", limit.kind() == Limit.Kind.WORKING_DAYS ? limit.workingDays() : null);
                    limits.add(l);
                }
            });
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", r.id());
            m.put("limits", limits);
            out.get(r.measures()).add(m);
        }
        return out;
    }
}
