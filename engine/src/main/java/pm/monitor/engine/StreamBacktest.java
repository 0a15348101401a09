package pm.monitor.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongConsumer;
import pm.monitor.event.Rejection;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Kpi;
import pm.monitor.kpi.KpiTracker;
import pm.monitor.rules.RuleSet;

/**
 * A backtest of an NDJSON file in bounded memory (issue 21), as {@link StreamReplay} replays
 * one: the file split by community into parts ({@link EventSpill}), each part replayed under
 * both rule versions and compared on its own ({@link Backtest#compare}), the company's KPIs
 * compared at the end from the counters of every community. A finding, its pairing into moved
 * and every community's KPIs stay within one community, hence one part, so the result is the
 * one {@link Backtest#run} gives on the whole file; what is held at once is one part's events and
 * findings under both versions, and the differences found so far.
 */
public final class StreamBacktest {

    /** The backtest and the lines of the input that were rejected. */
    public record Outcome(Backtest.Result result, List<Rejection> rejections, long duplicates,
                          java.util.Set<String> communities) {
    }

    private final RuleSet newRules;
    private final RuleSet oldRules;
    private final int threads;
    private final Path tmp;

    public StreamBacktest(RuleSet newRules, RuleSet oldRules, int threads, Path tmp) {
        this.newRules = newRules;
        this.oldRules = oldRules;
        this.threads = Math.max(1, threads);
        this.tmp = tmp;
    }

    /** @param progress told the events done under both versions so far, after each part (may be null) */
    public Outcome run(BufferedReader in, long bytes, Instant until, Instant from, Instant to, Backtest.Filter filter,
                       LongConsumer progress) throws IOException {
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "backtest-split");
            t.setDaemon(true);
            return t;
        });
        try (EventSpill spill = EventSpill.split(in, EventSpill.bucketsFor(bytes), tmp, pool)) {
            pool.shutdown();
            List<EventSpill.Bucket> order = spill.latestFirst();
            Map<EventSpill.Bucket, Replay.Parsed> kept = new HashMap<>();
            Instant end = until != null ? until : StreamReplay.end(order, kept);

            Map<String, Map<String, long[]>> perRule = new TreeMap<>();
            List<Finding> appeared = new ArrayList<>();
            List<Finding> disappeared = new ArrayList<>();
            List<Backtest.KpiChange> kpiChanges = new ArrayList<>();
            Map<Long, long[]> companyNew = new HashMap<>();
            Map<Long, long[]> companyOld = new HashMap<>();
            List<Rejection> rejections = new ArrayList<>();
            long duplicates = 0;
            long events = 0;
            java.util.Set<String> communities = new java.util.HashSet<>();
            for (EventSpill.Bucket b : order) {
                Replay.Parsed p = kept.remove(b);
                if (p == null) {
                    p = StreamReplay.parse(b);
                }
                rejections.addAll(p.rejections());
                duplicates += p.duplicates();
                events += p.inputs().size();
                p.inputs().forEach(i -> communities.add(i.event().community()));
                Replay.Result after = new Replay(newRules, threads).run(p.inputs(), end, null);
                Replay.Result before = new Replay(oldRules, threads).run(p.inputs(), end, null, true);
                p = null;
                rejections.addAll(after.rejections());
                Backtest.Parts part = Backtest.compare(after.findings(), before.findings(), communities(after.kpis()),
                        communities(before.kpis()), from, to, filter);
                part.perRule().forEach((rule, kinds) -> kinds.forEach((kind, c) -> {
                    long[] sum = perRule.computeIfAbsent(rule, r -> new TreeMap<>()).computeIfAbsent(kind, k -> new long[2]);
                    sum[0] += c[0];
                    sum[1] += c[1];
                }));
                appeared.addAll(part.appeared());
                disappeared.addAll(part.disappeared());
                kpiChanges.addAll(part.kpiChanges());
                add(companyNew, after);
                add(companyOld, before);
                if (progress != null) {
                    progress.accept(events);
                }
            }
            // the company's values ("*"): sums of every community's counters, as Replay.kpis makes them
            Backtest.Parts company = Backtest.compare(List.of(), List.of(),
                    KpiTracker.snapshot("*", companyNew, newRules.parameters().forCommunity("*")),
                    KpiTracker.snapshot("*", companyOld, oldRules.parameters().forCommunity("*")), from, to, filter);
            kpiChanges.addAll(company.kpiChanges());
            // the order Backtest.run gives: findings by Replay.ORDER, KPI changes by KPI, community, period
            appeared.sort(Replay.ORDER);
            disappeared.sort(Replay.ORDER);
            kpiChanges.sort(Comparator.comparing(k -> k.kpi() + "|" + k.community() + "|" + k.period()));
            rejections.sort(Comparator.comparingInt(Rejection::line));
            Backtest.Result r = new Backtest.Result(newRules.version(), oldRules.version(), events,
                    (System.nanoTime() - t0) / 1e9, perRule, appeared, disappeared, kpiChanges,
                    Backtest.changes(appeared, disappeared));
            return new Outcome(r, rejections, duplicates, communities);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A part's KPI values without its own company line (which sums only the part's communities). */
    private static List<Kpi> communities(List<Kpi> kpis) {
        List<Kpi> out = new ArrayList<>(kpis.size());
        for (Kpi k : kpis) {
            if (!"*".equals(k.community())) {
                out.add(k);
            }
        }
        return out;
    }

    private static void add(Map<Long, long[]> company, Replay.Result r) {
        for (CommunityEngine e : r.engines().values()) {
            for (Map.Entry<Long, long[]> c : e.kpis().counters().entrySet()) {
                long[] sum = company.computeIfAbsent(c.getKey(), k -> new long[2]);
                sum[0] += c.getValue()[0];
                sum[1] += c.getValue()[1];
            }
        }
    }
}
