package pm.monitor.kpi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import pm.monitor.finding.Kpi;
import pm.monitor.rules.Params;

/**
 * The live KPI values of every community, written by the engines' threads as KPIs change and
 * read by the HTTP API. The company ({@code *}) is summed from the communities when asked.
 */
public final class KpiBoard {
    private final Map<String, Kpi> values = new ConcurrentHashMap<>();
    /** The same values by period: the dashboard asks for today, this week and this month. */
    private final Map<String, Map<String, Kpi>> byPeriod = new ConcurrentHashMap<>();
    /** key → the latest value not yet stored (kept here too: a retired value must still reach the store). */
    private final Map<String, Kpi> unsaved = new ConcurrentHashMap<>();

    private volatile java.util.function.Consumer<List<Kpi>> listener = k -> { };
    /** Periods some community retired from memory: asked for, their values come from {@link #archive}. */
    private final Set<String> retiredPeriods = ConcurrentHashMap.newKeySet();
    private volatile java.util.function.BiFunction<String, String, List<Kpi>> archive;
    /**
     * In a cluster (serve --kafka) other instances count the communities they own and store the
     * values: every query reads the store too, and what is in memory here (owned here) wins.
     */
    private volatile boolean shared;

    /**
     * Where the values of retired periods are read back from: (kpi, period), null for any, to
     * every community's stored values. Without it a retired period is simply gone from queries.
     */
    public void archive(java.util.function.BiFunction<String, String, List<Kpi>> stored) {
        this.archive = stored;
    }

    /** In a cluster: the values of communities counted elsewhere are read from the store ({@link #archive}). */
    public void shared() {
        this.shared = true;
    }

    /**
     * Forgets the values of these communities: another instance owns them now, rebuilds them from
     * the stored events and stores their values. Those not yet stored here are dropped too, so that
     * a late store of them cannot overwrite the new owner's.
     */
    public void forget(java.util.Collection<String> communities) {
        Set<String> gone = new java.util.HashSet<>(communities);
        values.values().removeIf(k -> gone.contains(k.community()));
        unsaved.values().removeIf(k -> gone.contains(k.community()));
        for (Map<String, Kpi> of : byPeriod.values()) {
            of.values().removeIf(k -> gone.contains(k.community()));
        }
    }

    /** Told of every change, on the thread that made it. */
    public void listener(java.util.function.Consumer<List<Kpi>> listener) {
        this.listener = listener;
    }

    public void put(List<Kpi> kpis) {
        for (Kpi k : kpis) {
            String key = k.kpi() + "|" + k.community() + "|" + k.period();
            values.put(key, k);
            byPeriod.computeIfAbsent(k.period(), p -> new ConcurrentHashMap<>()).put(key, k);
            unsaved.put(key, k);
        }
        listener.accept(kpis);
    }

    /**
     * Drops a community's values of periods its engine retired (KpiTracker#retire): old days,
     * weeks and months leave memory; their last values are in the store.
     */
    public void retire(String community, List<String> periods) {
        retiredPeriods.addAll(periods);
        for (String p : periods) {
            Map<String, Kpi> of = byPeriod.get(p);
            if (of == null) {
                continue;
            }
            of.values().removeIf(k -> {
                if (!k.community().equals(community)) {
                    return false;
                }
                values.remove(k.kpi() + "|" + k.community() + "|" + k.period());
                return true;
            });
            if (of.isEmpty()) {
                byPeriod.remove(p, of);
            }
        }
    }

    /** Whether some community retired this period from memory. */
    public boolean retired(String period) {
        return retiredPeriods.contains(period);
    }

    /** The values changed since the last call, for the store. */
    public List<Kpi> drainUnsaved() {
        List<Kpi> out = new ArrayList<>();
        for (Map.Entry<String, Kpi> e : List.copyOf(unsaved.entrySet())) {
            if (unsaved.remove(e.getKey(), e.getValue())) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    /** Nothing counted: no tickets, and (for the report) no alerts either. */
    static boolean empty(Kpi k) {
        return k.denominator() == 0 && (k.breakdown() == null || k.breakdown().values().stream().allMatch(v -> v == 0));
    }

    public void clear() {
        values.clear();
        byPeriod.clear();
        unsaved.clear();
    }

    /**
     * The KPIs matching the filters (null: any), each community's and the company's, sorted.
     * {@code community} "*" asks for the company only.
     */
    public List<Kpi> query(Set<String> communities, String kpi, String period, Params companyParams) {
        return query(null, communities, kpi, period, companyParams);
    }

    /**
     * The same within {@code scope} (null: every community): a caller limited to some communities
     * sees only theirs, and the company's total ("*") is summed over them alone.
     */
    public List<Kpi> query(Set<String> scope, Set<String> communities, String kpi, String period, Params companyParams) {
        List<Kpi> out = new ArrayList<>();
        Map<String, long[]> company = new HashMap<>();
        Map<String, Map<String, Long>> companyBreakdown = new HashMap<>();
        boolean wantCompany = communities == null || communities.contains("*");
        java.util.Collection<Kpi> candidates = period == null ? values.values()
                : byPeriod.getOrDefault(period, Map.of()).values();
        var stored = archive;
        boolean elsewhere = shared;
        if (stored != null && (elsewhere
                || !retiredPeriods.isEmpty() && (period == null || retiredPeriods.contains(period)))) {
            // A retired period's last values are in the store (in a cluster, those of the
            // communities other instances count too); what is still in memory wins.
            List<Kpi> merged = new ArrayList<>(candidates);
            for (Kpi k : stored.apply(kpi, period)) {
                if (!k.community().equals("*") && (elsewhere || retiredPeriods.contains(k.period()))
                        && !values.containsKey(k.kpi() + "|" + k.community() + "|" + k.period())) {
                    merged.add(k);
                }
            }
            candidates = merged;
        }
        for (Kpi k : candidates) {
            if (empty(k) || (kpi != null && !kpi.equals(k.kpi())) || (period != null && !period.equals(k.period()))
                    || (scope != null && !scope.contains(k.community()))) {
                continue; // an emptied period (its tickets moved to another) has no value
            }
            if (communities == null || communities.contains(k.community())) {
                out.add(k);
            }
            if (wantCompany) {
                String key = k.kpi() + "|" + k.period();
                long[] c = company.computeIfAbsent(key, x -> new long[2]);
                c[0] += k.numerator();
                c[1] += k.denominator();
                if (k.breakdown() != null) {
                    Map<String, Long> b = companyBreakdown.computeIfAbsent(key, x -> new LinkedHashMap<>());
                    k.breakdown().forEach((n, v) -> b.merge(n, v, Long::sum));
                }
            }
        }
        if (wantCompany) {
            for (Map.Entry<String, long[]> e : company.entrySet()) {
                int bar = e.getKey().indexOf('|');
                String id = e.getKey().substring(0, bar);
                String p = e.getKey().substring(bar + 1);
                long[] c = e.getValue();
                Map<String, Long> b = companyBreakdown.get(e.getKey());
                if (c[1] == 0 && (b == null || b.values().stream().allMatch(v -> v == 0))) {
                    continue;
                }
                if (b != null) {
                    out.add(new Kpi(id, "*", p, (double) c[1], c[0], c[1], null, null, b));
                    continue;
                }
                String tp = KpiIds.targetParameter(id);
                Double target = tp == null ? null : companyParams.percent(tp);
                double v = (double) c[0] / c[1];
                out.add(new Kpi(id, "*", p, v, c[0], c[1], target, target == null ? null : v >= target - 1e-9, null));
            }
        }
        out.sort(Comparator.comparing(Kpi::kpi).thenComparing(Kpi::community).thenComparing(Kpi::period));
        return out;
    }
}
