package pm.monitor.kpi;

import static pm.monitor.kpi.KpiIds.*;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import pm.monitor.fact.Duty;
import pm.monitor.fact.KpiFell;
import pm.monitor.fact.Ticket;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Kpi;
import pm.monitor.rules.Params;

/**
 * The KPIs of one community, per day, ISO week and month of event time, kept current as its
 * tickets change. Each ticket's contribution to each KPI is remembered so that a change (a new
 * deadline, a breach, a late response) moves it between numerator and denominator exactly
 * once.
 *
 * <p>Readings of HANDBOOK-RULES.md "KPIs" (the catalog gives one line each):
 * <ul>
 * <li>{@code kpi.timeliness}: a ticket belongs to the periods containing all its time-limit
 * deadlines (waived ones left out); it is timely while none of them is breached.</li>
 * <li>{@code kpi.response}, {@code kpi.follow-up}: an item is counted once it is decided: it got
 * its response / follow-up, or one of its deadlines passed without it. Counting undecided items
 * would put every freshly received ticket below a 100% target.</li>
 * <li>{@code kpi.repair-timeliness}: as timeliness, over the {@code repair.*} deadlines of repairs.</li>
 * <li>{@code kpi.repair-completion}: repairs received in the period, resolved by their
 * {@code repair.two-working-days} deadline.</li>
 * <li>{@code kpi.rework}: repairs first resolved in the period that were reopened within
 * {@code kpi.rework.window} of that resolution.</li>
 * <li>{@code kpi.satisfaction}: follow-ups in the period with {@code satisfied: true}.</li>
 * <li>{@code kpi.calls}: calls in the period answered within {@code call.three-rings.max-rings}.</li>
 * <li>{@code kpi.patrol-coverage}: building-days of the period, counted when decided (patrolled,
 * or the day ended without a patrol).</li>
 * <li>{@code kpi.complaints-by-category}: complaints received in the period per category, with
 * the collective, major and repeat alerts raised in it.</li>
 * </ul>
 */
public final class KpiTracker {
    private static final int T_TIMELINESS = 0;
    private static final int T_RESPONSE = 1;
    private static final int T_FOLLOW_UP = 2;
    private static final int T_REPAIR_TIMELINESS = 3;
    private static final int T_REPAIR_COMPLETION = 4;
    private static final int T_REWORK = 5;
    private static final int T_CATEGORY = 6;
    private static final String[] TICKET_KPIS = {TIMELINESS, RESPONSE, FOLLOW_UP, REPAIR_TIMELINESS,
            REPAIR_COMPLETION, REWORK, COMPLAINTS_BY_CATEGORY};

    /** One ticket's place in one KPI: the periods it falls in (from–to) and whether it counts as good. */
    private record Part(Instant from, Instant to, boolean good, String bucket) {
    }

    private final String community;
    private final Function<Instant, LocalDate> localDate;
    private final Supplier<Params> params;
    /** "kpi|period" (or "kpi/bucket|period") → {numerator, denominator} */
    private final Map<String, long[]> counters = new HashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    /** "kpi|period" changed since the last {@link #drainChanged()} (buckets under their KPI). */
    private final Set<String> dirty = new LinkedHashSet<>();
    private final Map<String, Boolean> lastMet = new HashMap<>();
    private final Map<String, Integer> falls = new HashMap<>();

    public KpiTracker(String community, Function<Instant, LocalDate> localDate, Supplier<Params> params) {
        this.community = community;
        this.localDate = localDate;
        this.params = params;
    }

    // ---- inputs -------------------------------------------------------------------------------

    /** Recomputes a ticket's contributions after it changed. */
    public void ticket(Ticket t) {
        Part[] old = (Part[]) t.kpiState;
        Part[] now = parts(t);
        for (int i = 0; i < now.length; i++) {
            Part o = old == null ? null : old[i];
            if (!Objects.equals(o, now[i])) {
                String kpi = TICKET_KPIS[i];
                apply(kpi, o, -1);
                apply(kpi, now[i], +1);
            }
        }
        t.kpiState = now;
    }

    /** An item counted once, e.g. a follow-up for satisfaction or a call. */
    public void count(String kpi, Instant at, boolean good) {
        apply(kpi, new Part(at, at, good, null), +1);
    }

    /** A duty settled or breached: building-days count for patrol coverage. */
    public void duty(Duty d) {
        if (d.getRule().equals("patrol.daily") && d.getState() != Duty.State.WAIVED) {
            count(PATROL_COVERAGE, d.getDeadline().startsAt(), d.getState() == Duty.State.MET);
        }
    }

    /** Findings the monthly report counts (collective, major and repeat complaints). */
    public void finding(Finding f) {
        if (!Finding.ALERT.equals(f.kind())) {
            return;
        }
        String bucket = switch (f.rule()) {
            case "complaint.collective" -> "collective";
            case "complaint.major" -> "major";
            case "complaint.repeat" -> "repeat";
            default -> null;
        };
        if (bucket != null) {
            apply(COMPLAINTS_BY_CATEGORY, new Part(f.at(), f.at(), false, bucket), +1);
        }
    }

    private Part[] parts(Ticket t) {
        Part[] p = new Part[TICKET_KPIS.length];
        Instant min = null;
        Instant max = null;
        boolean breached = false;
        Instant rMin = null;
        Instant rMax = null;
        boolean rBreached = false;
        boolean followUpBreached = false;
        Instant twoDaysDue = null;
        for (Duty d : t.getDuties()) {
            if (!Finding.VIOLATION.equals(d.getKind()) || d.getState() == Duty.State.WAIVED) {
                continue;
            }
            // A deadline of "24:00 on D" is the instant 00:00 of D+1; it belongs to day D.
            Instant due = d.getDueAt().minusNanos(1);
            min = min == null || due.isBefore(min) ? due : min;
            max = max == null || due.isAfter(max) ? due : max;
            breached |= d.isBreached();
            if (d.getRule().startsWith("repair.")) {
                rMin = rMin == null || due.isBefore(rMin) ? due : rMin;
                rMax = rMax == null || due.isAfter(rMax) ? due : rMax;
                rBreached |= d.isBreached();
            }
            if (d.getRule().equals("complaint.follow-up") && d.getCycle() == t.getCycle()) {
                followUpBreached |= d.isBreached();
            }
            if (d.getRule().equals("repair.two-working-days") && twoDaysDue == null) {
                twoDaysDue = due;
            }
        }
        if (min != null) {
            p[T_TIMELINESS] = new Part(min, max, !breached, null);
        }
        boolean responded = t.getFirstResponseAt() != null;
        if (responded || breached) {
            p[T_RESPONSE] = new Part(t.getReceivedAt(), t.getReceivedAt(), responded, null);
        }
        if (t.isComplaint() && t.getLastResolvedAt() != null) {
            boolean followed = t.getLastFollowedUpAt() != null && !t.getLastFollowedUpAt().isBefore(t.getLastResolvedAt());
            if (followed || followUpBreached) {
                p[T_FOLLOW_UP] = new Part(t.getLastResolvedAt(), t.getLastResolvedAt(), followed, null);
            }
        }
        if (t.isRepair()) {
            if (rMin != null) {
                p[T_REPAIR_TIMELINESS] = new Part(rMin, rMax, !rBreached, null);
            }
            Instant resolved = t.getFirstResolvedAt();
            p[T_REPAIR_COMPLETION] = new Part(t.getReceivedAt(), t.getReceivedAt(),
                    resolved != null && twoDaysDue != null && !resolved.isAfter(twoDaysDue), null);
            if (resolved != null) {
                Duration window = params.get().duration("kpi.rework.window");
                boolean reworked = t.getReopenedAt() != null && !t.getReopenedAt().isAfter(resolved.plus(window));
                p[T_REWORK] = new Part(resolved, resolved, reworked, null);
            }
        }
        if (t.isComplaint()) {
            String category = t.getCategory() == null ? "other" : t.getCategory();
            p[T_CATEGORY] = new Part(t.getReceivedAt(), t.getReceivedAt(), true, category);
        }
        return p;
    }

    private void apply(String kpi, Part part, int sign) {
        if (part == null) {
            return;
        }
        String key = part.bucket == null ? kpi : kpi + "/" + part.bucket;
        for (String period : Periods.containing(localDate.apply(part.from), localDate.apply(part.to))) {
            String k = key + "|" + period;
            long[] c = counters.computeIfAbsent(k, x -> new long[2]);
            c[1] += sign;
            if (part.good) {
                c[0] += sign;
            }
            if (part.bucket == null) {
                changed.add(k);
            }
            dirty.add(kpi + "|" + period);
        }
    }

    // ---- outputs ------------------------------------------------------------------------------

    /**
     * The tickets behind a ticket KPI's value for one period: each ticket counted in its
     * denominator, with whether it is in the numerator. Empty for KPIs not made of tickets.
     */
    public List<Map.Entry<String, Boolean>> ticketsBehind(Iterable<Ticket> tickets, String kpi, String period) {
        int index = -1;
        for (int i = 0; i < TICKET_KPIS.length; i++) {
            if (TICKET_KPIS[i].equals(kpi)) {
                index = i;
            }
        }
        List<Map.Entry<String, Boolean>> out = new ArrayList<>();
        if (index < 0) {
            return out;
        }
        for (Ticket t : tickets) {
            Part[] parts = (Part[]) t.kpiState;
            Part p = parts == null ? null : parts[index];
            if (p == null) {
                continue;
            }
            for (String candidate : Periods.containing(localDate.apply(p.from), localDate.apply(p.to))) {
                if (candidate.equals(period)) {
                    out.add(Map.entry(t.getId(), p.good));
                    break;
                }
            }
        }
        out.sort(Map.Entry.comparingByKey());
        return out;
    }

    /**
     * The KPIs that fell below target since the last call (from meeting it, or from having no
     * value), at event time {@code at}. A KPI must recover before it can fall again.
     */
    public List<KpiFell> evaluate(Instant at) {
        if (changed.isEmpty()) {
            return List.of();
        }
        List<KpiFell> fell = null;
        Params p = params.get();
        int minDenominator = p.count("kpi.alert.min-denominator");
        for (String k : changed) {
            int bar = k.indexOf('|');
            String kpi = k.substring(0, bar);
            String targetParameter = KpiIds.targetParameter(kpi);
            if (targetParameter == null) {
                continue;
            }
            long[] c = counters.get(k);
            if (c[1] < minDenominator) {
                continue;
            }
            double target = p.percent(targetParameter);
            double value = (double) c[0] / c[1];
            boolean met = value >= target - 1e-9;
            Boolean before = lastMet.put(k, met);
            if (!met && (before == null || before)) {
                int n = falls.merge(k, 1, Integer::sum);
                if (fell == null) {
                    fell = new ArrayList<>();
                }
                fell.add(new KpiFell(kpi, community, k.substring(bar + 1), value, c[0], c[1], target, at, n));
            }
        }
        changed.clear();
        return fell == null ? List.of() : fell;
    }

    /** The values of the KPIs that changed since the last call (for the live board and the store). */
    public List<Kpi> drainChanged() {
        if (dirty.isEmpty()) {
            return List.of();
        }
        Map<String, long[]> subset = new HashMap<>();
        for (String k : dirty) {
            int bar = k.indexOf('|');
            String kpi = k.substring(0, bar);
            if (kpi.equals(COMPLAINTS_BY_CATEGORY)) {
                String period = k.substring(bar + 1);
                for (Map.Entry<String, long[]> e : counters.entrySet()) {
                    if (e.getKey().startsWith(COMPLAINTS_BY_CATEGORY + "/") && e.getKey().endsWith("|" + period)) {
                        subset.put(e.getKey(), e.getValue());
                    }
                }
            } else {
                subset.put(k, counters.get(k));
            }
        }
        dirty.clear();
        List<Kpi> out = snapshot(community, subset, params.get());
        return out;
    }

    /** The counters, "kpi|period" → {numerator, denominator}; for company totals. */
    public Map<String, long[]> counters() {
        return counters;
    }

    /** Every KPI of this community with something counted, sorted by KPI and period. */
    public List<Kpi> snapshot() {
        return snapshot(community, counters, params.get());
    }

    /** KPIs from counters (one community's, or summed over the company with {@code community = "*"}). */
    public static List<Kpi> snapshot(String community, Map<String, long[]> counters, Params params) {
        Map<String, long[]> plain = new TreeMap<>();
        Map<String, Map<String, Long>> buckets = new TreeMap<>();
        for (Map.Entry<String, long[]> e : counters.entrySet()) {
            String k = e.getKey();
            int slash = k.indexOf('/');
            int bar = k.indexOf('|');
            if (slash >= 0 && slash < bar) {
                String period = k.substring(bar + 1);
                String bucket = k.substring(slash + 1, bar);
                if (e.getValue()[1] != 0) {
                    buckets.computeIfAbsent(period, x -> new TreeMap<>()).put(bucket, e.getValue()[1]);
                }
            } else if (e.getValue()[1] != 0) {
                plain.put(k, e.getValue());
            }
        }
        List<Kpi> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : plain.entrySet()) {
            String k = e.getKey();
            int bar = k.indexOf('|');
            String kpi = k.substring(0, bar);
            long[] c = e.getValue();
            String targetParameter = KpiIds.targetParameter(kpi);
            Double target = targetParameter == null ? null : params.percent(targetParameter);
            double value = (double) c[0] / c[1];
            out.add(new Kpi(kpi, community, k.substring(bar + 1), value, c[0], c[1], target,
                    target == null ? null : value >= target - 1e-9, null));
        }
        for (Map.Entry<String, Map<String, Long>> e : buckets.entrySet()) {
            Map<String, Long> b = new java.util.LinkedHashMap<>();
            long total = 0;
            for (String category : pm.monitor.event.Vocabulary.CATEGORY.all()) {
                long n = e.getValue().getOrDefault(category, 0L);
                b.put(category, n);
                total += n;
            }
            for (String extra : List.of("collective", "major", "repeat")) {
                b.put(extra, e.getValue().getOrDefault(extra, 0L));
            }
            out.add(new Kpi(COMPLAINTS_BY_CATEGORY, community, e.getKey(), (double) total, total, total, null, null, b));
        }
        out.sort(java.util.Comparator.comparing(Kpi::kpi).thenComparing(Kpi::period));
        return out;
    }
}
