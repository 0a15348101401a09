package pm.monitor.report;

import static pm.monitor.kpi.KpiIds.CALLS;
import static pm.monitor.kpi.KpiIds.COMPLAINTS_BY_CATEGORY;
import static pm.monitor.kpi.KpiIds.FOLLOW_UP;
import static pm.monitor.kpi.KpiIds.PATROL_COVERAGE;
import static pm.monitor.kpi.KpiIds.REPAIR_COMPLETION;
import static pm.monitor.kpi.KpiIds.REPAIR_TIMELINESS;
import static pm.monitor.kpi.KpiIds.RESPONSE;
import static pm.monitor.kpi.KpiIds.REWORK;
import static pm.monitor.kpi.KpiIds.SATISFACTION;
import static pm.monitor.kpi.KpiIds.TIMELINESS;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import pm.monitor.event.Vocabulary;
import pm.monitor.finding.Kpi;
import pm.monitor.kpi.KpiBoard;
import pm.monitor.kpi.KpiIds;
import pm.monitor.rules.Params;

/**
 * The dashboard's KPI views, read from the live {@link KpiBoard}: every community's KPIs for
 * its today, this week and this month against their targets (filtered, sorted and paged here,
 * not in the browser), the trend of one KPI over months, and complaints per category per month.
 */
public final class Overview {
    /** The KPIs of the overview and the report: those with a rate, targeted ones first. */
    public static final List<String> KPIS = List.of(TIMELINESS, RESPONSE, FOLLOW_UP, SATISFACTION, REPAIR_TIMELINESS,
            PATROL_COVERAGE, REPAIR_COMPLETION, REWORK, CALLS);
    public static final List<String> SCOPES = List.of("day", "week", "month");

    private final KpiBoard board;
    private final Params companyParams;
    private final Set<String> scope;

    public Overview(KpiBoard board, Params companyParams) {
        this(board, companyParams, null);
    }

    /** Limited to the communities of {@code scope} (null: all); the company's total is then theirs. */
    public Overview(KpiBoard board, Params companyParams, Set<String> scope) {
        this.board = board;
        this.companyParams = companyParams;
        this.scope = scope;
    }

    /** The KPI period labels of a local date: day ({@code 2026-03-02}), ISO week ({@code 2026-W10}), month ({@code 2026-03}). */
    public static Map<String, String> periods(LocalDate d) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("day", d.toString());
        m.put("week", String.format(Locale.ROOT, "%d-W%02d", d.get(IsoFields.WEEK_BASED_YEAR),
                d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
        m.put("month", YearMonth.from(d).toString());
        return m;
    }

    /** KPI values of some periods: period → community (or *) → KPI id → value. */
    private Map<String, Map<String, Map<String, Kpi>>> values(Set<String> periods, String kpi) {
        Map<String, Map<String, Map<String, Kpi>>> out = new HashMap<>();
        for (String p : periods) {
            Map<String, Map<String, Kpi>> byCommunity = new HashMap<>();
            for (Kpi k : board.query(scope, null, kpi, p, companyParams)) {
                byCommunity.computeIfAbsent(k.community(), c -> new HashMap<>()).put(k.kpi(), k);
            }
            out.put(p, byCommunity);
        }
        return out;
    }

    static Map<String, Object> cell(Kpi k) {
        if (k == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", k.value());
        m.put("numerator", k.numerator());
        m.put("denominator", k.denominator());
        m.put("target", k.target());
        m.put("met", k.met());
        return m;
    }

    /**
     * One page of the overview.
     *
     * @param date     the local date whose day, week and month are shown; null: each community's
     *                 date at {@code dir.asOf()}
     * @param query    a substring of the community's code or name, or null
     * @param under    only communities with a KPI under target in {@code basis}
     * @param basis    the scope that "under target" and sorting look at: day, week or month
     * @param sort     {@code code}, {@code under} (most KPIs under target first) or a KPI id (lowest first)
     */
    public Map<String, Object> page(Directory dir, LocalDate date, String query, boolean under, String basis,
                                    String sort, int limit, int offset) {
        if (!SCOPES.contains(basis)) {
            throw new IllegalArgumentException("basis must be day, week or month, not " + basis);
        }
        if (!sort.equals("code") && !sort.equals("under") && !KPIS.contains(sort)) {
            throw new IllegalArgumentException("sort must be code, under or one of " + KPIS + ", not " + sort);
        }
        LocalDate companyDate = date != null ? date : LocalDate.ofInstant(dir.asOf(), dir.companyZone());
        Map<String, String> companyPeriods = periods(companyDate);
        Set<String> needed = new TreeSet<>(companyPeriods.values());
        Map<String, Map<String, String>> periodsOf = new HashMap<>();
        for (Directory.Community c : dir.communities()) {
            Map<String, String> p = periods(date != null ? date : LocalDate.ofInstant(dir.asOf(), c.zone()));
            periodsOf.put(c.code(), p);
            needed.addAll(p.values());
        }
        Map<String, Map<String, Map<String, Kpi>>> values = values(needed, null);

        String q = query == null ? null : query.toLowerCase(Locale.ROOT);
        List<Map<String, Object>> rows = new ArrayList<>();
        int underCommunities = 0;
        for (Directory.Community c : dir.communities()) {
            Map<String, String> p = periodsOf.get(c.code());
            Map<String, Object> kpis = new LinkedHashMap<>();
            int underCount = 0;
            for (String kpi : KPIS) {
                Map<String, Object> scopes = new LinkedHashMap<>();
                for (String scope : SCOPES) {
                    Kpi k = get(values, p.get(scope), c.code(), kpi);
                    scopes.put(scope, cell(k));
                    if (scope.equals(basis) && k != null && Boolean.FALSE.equals(k.met())) {
                        underCount++;
                    }
                }
                kpis.put(kpi, scopes);
            }
            if (underCount > 0) {
                underCommunities++;
            }
            if (q != null && !c.code().toLowerCase(Locale.ROOT).contains(q)
                    && (c.name() == null || !c.name().toLowerCase(Locale.ROOT).contains(q))) {
                continue;
            }
            if (under && underCount == 0) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("community", c.code());
            row.put("name", c.name());
            row.put("zone", c.zone().getId());
            row.put("periods", p);
            row.put("under", underCount);
            row.put("kpis", kpis);
            rows.add(row);
        }
        rows.sort(order(sort, basis));

        Map<String, Object> company = new LinkedHashMap<>();
        for (String kpi : KPIS) {
            Map<String, Object> scopes = new LinkedHashMap<>();
            for (String scope : SCOPES) {
                scopes.put(scope, cell(get(values, companyPeriods.get(scope), "*", kpi)));
            }
            company.put(kpi, scopes);
        }
        Map<String, Object> targets = new LinkedHashMap<>();
        for (String kpi : KPIS) {
            String tp = KpiIds.targetParameter(kpi);
            targets.put(kpi, tp == null ? null : companyParams.percent(tp));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("asOf", dir.asOf().toString());
        out.put("date", date == null ? null : date.toString());
        out.put("periods", companyPeriods);
        out.put("basis", basis);
        out.put("kpis", KPIS);
        out.put("targets", targets);
        out.put("company", company);
        out.put("communities", dir.communities().size());
        out.put("underCommunities", underCommunities);
        out.put("total", rows.size());
        out.put("limit", limit);
        out.put("offset", offset);
        out.put("items", rows.subList(Math.min(offset, rows.size()), Math.min(rows.size(), offset + limit)));
        return out;
    }

    private static Kpi get(Map<String, Map<String, Map<String, Kpi>>> values, String period, String community,
                           String kpi) {
        Map<String, Map<String, Kpi>> byCommunity = values.get(period);
        Map<String, Kpi> byKpi = byCommunity == null ? null : byCommunity.get(community);
        return byKpi == null ? null : byKpi.get(kpi);
    }

    @SuppressWarnings("unchecked")
    private static Comparator<Map<String, Object>> order(String sort, String basis) {
        Comparator<Map<String, Object>> byCode = Comparator.comparing(r -> (String) r.get("community"));
        if (sort.equals("code")) {
            return byCode;
        }
        if (sort.equals("under")) {
            return Comparator.<Map<String, Object>>comparingInt(r -> -(Integer) r.get("under")).thenComparing(byCode);
        }
        // Lowest value first, communities with no value last: the worst are what the page is for.
        return Comparator.<Map<String, Object>>comparingDouble(r -> {
            Map<String, Object> scopes = (Map<String, Object>) ((Map<String, Object>) r.get("kpis")).get(sort);
            Map<String, Object> cell = (Map<String, Object>) scopes.get(basis);
            return cell == null || cell.get("value") == null ? Double.MAX_VALUE : (Double) cell.get("value");
        }).thenComparing(byCode);
    }

    /** The months ending with {@code last}, oldest first. */
    public static List<String> months(YearMonth last, int count) {
        List<String> out = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) {
            out.add(last.minusMonths(i).toString());
        }
        return out;
    }

    public static final List<String> GRAINS = List.of("day", "week", "month");

    /**
     * The periods of one grain from the one holding {@code from} to the one holding {@code to},
     * oldest first: days ({@code 2026-03-02}), ISO weeks ({@code 2026-W10}) or months; at most
     * {@code max} of them (the latest).
     */
    public static List<String> periods(String grain, LocalDate from, LocalDate to, int max) {
        if (!GRAINS.contains(grain)) {
            throw new IllegalArgumentException("by must be one of " + GRAINS + ", not " + grain);
        }
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("to " + to + " is before from " + from);
        }
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            out.add(switch (grain) {
                case "day" -> d.toString();
                case "week" -> pm.monitor.kpi.PeriodKeys.label(pm.monitor.kpi.PeriodKeys.WEEK,
                        d.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR) * 100L
                                + d.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR));
                default -> YearMonth.from(d).toString();
            });
        }
        List<String> all = new ArrayList<>(out);
        return all.size() <= max ? all : all.subList(all.size() - max, all.size());
    }

    /**
     * One KPI per month for the company and some communities. With no communities asked for,
     * the {@code worst} with the lowest value in the latest month that has values.
     */
    public Map<String, Object> trend(Directory dir, String kpi, List<String> months, List<String> communities,
                                     int worst) {
        Map<String, Map<String, Map<String, Kpi>>> values = values(new TreeSet<>(months), kpi);
        List<String> shown = communities;
        if (shown == null) {
            shown = new ArrayList<>();
            for (int i = months.size() - 1; i >= 0 && shown.isEmpty(); i--) {
                Map<String, Map<String, Kpi>> month = values.get(months.get(i));
                shown = month.entrySet().stream().filter(e -> !e.getKey().equals("*"))
                        .filter(e -> e.getValue().get(kpi) != null && e.getValue().get(kpi).value() != null)
                        .sorted(Comparator.<Map.Entry<String, Map<String, Kpi>>>comparingDouble(
                                        e -> e.getValue().get(kpi).value())
                                .thenComparing(Map.Entry::getKey))
                        .limit(worst).map(Map.Entry::getKey).toList();
            }
        }
        List<Map<String, Object>> series = new ArrayList<>();
        List<String> all = new ArrayList<>();
        all.add("*");
        all.addAll(shown);
        for (String c : all) {
            List<Object> points = new ArrayList<>();
            for (String m : months) {
                points.add(cell(get(values, m, c, kpi)));
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("community", c);
            Directory.Community info = dir.get(c);
            s.put("name", info == null ? null : info.name());
            s.put("points", points);
            series.add(s);
        }
        String tp = KpiIds.targetParameter(kpi);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kpi", kpi);
        out.put("target", tp == null ? null : companyParams.percent(tp));
        out.put("months", months); // the periods, whatever their grain (named when they were only months)
        out.put("periods", months);
        out.put("series", series);
        return out;
    }

    /** Complaints per handbook category per month (and the collective, major and repeat counts). */
    public Map<String, Object> categories(String community, List<String> months) {
        Map<String, Map<String, Map<String, Kpi>>> values = values(new TreeSet<>(months), COMPLAINTS_BY_CATEGORY);
        List<String> buckets = new ArrayList<>(Vocabulary.CATEGORY.all());
        buckets.addAll(List.of("collective", "major", "repeat"));
        Map<String, List<Long>> counts = new LinkedHashMap<>();
        buckets.forEach(b -> counts.put(b, new ArrayList<>()));
        List<Long> totals = new ArrayList<>();
        for (String m : months) {
            Kpi k = get(values, m, community, COMPLAINTS_BY_CATEGORY);
            Map<String, Long> b = k == null || k.breakdown() == null ? Map.of() : k.breakdown();
            long total = 0;
            for (String bucket : buckets) {
                long n = b.getOrDefault(bucket, 0L);
                counts.get(bucket).add(n);
                if (Vocabulary.CATEGORY.contains(bucket)) {
                    total += n;
                }
            }
            totals.add(total);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("community", community);
        out.put("months", months);
        out.put("categories", Vocabulary.CATEGORY.all());
        out.put("counts", counts);
        out.put("totals", totals);
        return out;
    }
}
