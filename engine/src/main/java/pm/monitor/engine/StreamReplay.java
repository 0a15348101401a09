package pm.monitor.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import pm.monitor.event.Rejection;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;
import pm.monitor.finding.Kpi;
import pm.monitor.kpi.KpiTracker;
import pm.monitor.rules.RuleSet;

/**
 * A replay of an NDJSON file in bounded memory (issue 21): the file is split by community into
 * temporary buckets ({@link EventSpill}), each bucket is parsed and evaluated on its own with
 * {@link Replay} and its findings written as a sorted run ({@link FindingRuns}), and the runs
 * are merged into the output. Findings and KPIs are the same, in the same order, as a replay
 * holding everything in memory: communities share nothing, the clock of every community runs
 * to the same end (the latest accepted event's time, or {@code until}), and the merge keeps
 * {@link Replay#ORDER}. What is held at once is one bucket's events and findings, the KPI
 * values, and the rejected lines.
 */
public final class StreamReplay {

    /** What a run did; {@code lines}: non-blank lines read. */
    public record Summary(long lines, long findings, long kpis, List<Rejection> rejections, long duplicates,
                          long provisional, SortedSet<Object> provisionalYears, Set<String> communities,
                          int buckets, long cpuNanos, double splitSeconds) {
    }

    /** Told after each bucket: buckets done, of how many, events evaluated so far. */
    public interface Progress {
        void bucketDone(int done, int of, long events);
    }

    /** Where the output goes, opened once everything is evaluated (a failed run leaves it as it was). */
    public interface Output {
        Writer open() throws IOException;
    }

    private final java.util.function.Supplier<RuleSet> loading;
    private final int threads;
    private final Path tmp;

    /** @param rules null for the baseline: read, order and route, evaluate nothing */
    public StreamReplay(RuleSet rules, int threads, Path tmp) {
        this(() -> rules, threads, tmp);
    }

    /**
     * @param loading the rules, asked for when the first part is ready to be evaluated: they may
     *                be loading meanwhile, while the file is split and parsed (a one-off replay of
     *                a small file is mostly that load); giving null runs the baseline
     */
    public StreamReplay(java.util.function.Supplier<RuleSet> loading, int threads, Path tmp) {
        this.loading = loading;
        this.threads = Math.max(1, threads);
        this.tmp = tmp;
    }

    public Summary run(BufferedReader in, long bytes, Instant until, Writer out, boolean withKpis, Progress progress)
            throws IOException {
        return run(in, bytes, until, () -> out, withKpis, progress);
    }

    /**
     * @param bytes  the input's size if known (it sets the number of buckets), else -1
     * @param until  where every community's clock runs to after its events; null: the latest
     *               accepted event's time
     * @param out    findings, then (with {@code withKpis}) the KPIs, one JSON line each
     */
    public Summary run(BufferedReader in, long bytes, Instant until, Output output, boolean withKpis,
                       Progress progress) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "replay-split");
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime();
        try (EventSpill spill = EventSpill.split(in, EventSpill.bucketsFor(bytes), tmp, pool);
             FindingRuns runs = new FindingRuns(spill.dir())) {
            pool.shutdown();
            double splitSeconds = (System.nanoTime() - t0) / 1e9;
            List<EventSpill.Bucket> order = spill.latestFirst();
            Map<EventSpill.Bucket, Replay.Parsed> parsed = new HashMap<>();
            Instant end = until != null ? until : end(order, parsed);

            List<Rejection> rejections = new ArrayList<>();
            Set<String> communities = new HashSet<>();
            TreeMap<String, List<Kpi>> kpis = new TreeMap<>();
            Map<Long, long[]> company = new HashMap<>();
            long duplicates = 0;
            long provisional = 0;
            SortedSet<Object> years = new TreeSet<>();
            long cpu = 0;
            long events = 0;
            RuleSet rules = loading.get();
            int done = 0;
            // The next part is parsed while this one is evaluated: the engines leave a core idle
            // at the end of a part (its last, largest community), and parsing fills it.
            ExecutorService ahead = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "replay-parse-ahead");
                t.setDaemon(true);
                return t;
            });
            java.util.concurrent.Future<Replay.Parsed> next = null;
            try {
                for (int part = 0; part < order.size(); part++) {
                    EventSpill.Bucket b = order.get(part);
                    Replay.Parsed p = parsed.remove(b);
                    if (p == null) {
                        p = next != null ? get(next) : parse(b);
                    }
                    next = null;
                    if (part + 1 < order.size()) {
                        EventSpill.Bucket following = order.get(part + 1);
                        Replay.Parsed kept = parsed.get(following);
                        next = kept != null ? java.util.concurrent.CompletableFuture.completedFuture(kept)
                                : ahead.submit(() -> parse(following));
                    }
                    rejections.addAll(p.rejections());
                    duplicates += p.duplicates();
                    for (Replay.Input i : p.inputs()) {
                        communities.add(i.event().community());
                    }
                    events += p.inputs().size();
                    if (rules == null) {
                        cpu += baseline(p.inputs());
                    } else {
                        Replay.Result r = new Replay(rules, threads).run(p.inputs(), end, null, true);
                        p = null; // the bucket's events are let go as the communities finish
                        rejections.addAll(r.rejections());
                        runs.add(r.findings());
                        for (Finding f : r.findings()) {
                            if (f.details().get("deadline") instanceof Map<?, ?> d && Boolean.TRUE.equals(d.get("provisional"))) {
                                provisional++;
                                if (d.get("provisionalYears") instanceof List<?> ys) {
                                    years.addAll(ys);
                                }
                            }
                        }
                        for (Map.Entry<String, CommunityEngine> e : r.engines().entrySet()) {
                            kpis.put(e.getKey(), e.getValue().kpis().snapshot());
                            for (Map.Entry<Long, long[]> c : e.getValue().kpis().counters().entrySet()) {
                                long[] sum = company.computeIfAbsent(c.getKey(), k -> new long[2]);
                                sum[0] += c.getValue()[0];
                                sum[1] += c.getValue()[1];
                            }
                        }
                        cpu += r.cpuNanos();
                    }
                    done++;
                    if (progress != null) {
                        progress.bucketDone(done, order.size(), events);
                    }
                }
            } finally {
                ahead.shutdownNow();
            }
            Writer out = output.open();
            runs.mergeTo(out);
            long kpiCount = 0;
            if (rules != null) {
                List<Kpi> all = new ArrayList<>();
                kpis.values().forEach(all::addAll);
                all.addAll(KpiTracker.snapshot("*", company, rules.parameters().forCommunity("*")));
                kpiCount = all.size();
                if (withKpis) {
                    for (Kpi k : all) {
                        out.write(Json.line(k));
                        out.write('\n');
                    }
                }
            }
            out.flush();
            rejections.sort(Comparator.comparingInt(Rejection::line));
            return new Summary(spill.lines(), runs.findings(), kpiCount, rejections, duplicates, provisional, years,
                    communities, spill.buckets().size(), cpu, splitSeconds);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The latest accepted event's time. Buckets are looked at latest scanned time first; a
     * bucket's scanned time is an upper bound of its accepted events' (a line may be rejected
     * once parsed, or be a conflicting duplicate), so the search stops at the first bucket that
     * cannot beat what was found. Usually one bucket is parsed, and kept for its evaluation.
     */
    static Instant end(List<EventSpill.Bucket> order, Map<EventSpill.Bucket, Replay.Parsed> keep) {
        Instant found = null;
        for (int i = 0; i < order.size(); i++) {
            EventSpill.Bucket b = order.get(i);
            if (b.latest() == null || (found != null && !b.latest().isAfter(found))) {
                break;
            }
            Replay.Parsed p = parse(b);
            for (Replay.Input in : p.inputs()) {
                if (found == null || in.event().at().isAfter(found)) {
                    found = in.event().at();
                }
            }
            if (i == 0) {
                keep.put(b, p); // evaluated first; the others are parsed again when their turn comes
            }
        }
        return found;
    }

    private static Replay.Parsed get(java.util.concurrent.Future<Replay.Parsed> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    static Replay.Parsed parse(EventSpill.Bucket b) {
        EventSpill.Lines lines = b.read();
        int[] numbers = lines.numbers();
        return Replay.parseLines(lines.texts(), n -> numbers[n]);
    }

    /** The baseline's work on a bucket: by community, in time order; returns the CPU time taken. */
    private long baseline(List<Replay.Input> inputs) {
        long t = System.nanoTime();
        Map<String, List<Replay.Input>> by = new HashMap<>();
        for (Replay.Input in : inputs) {
            by.computeIfAbsent(in.event().community(), c -> new ArrayList<>()).add(in);
        }
        by.values().parallelStream().forEach(l -> l.sort(Comparator.comparing((Replay.Input i) -> i.event().at())));
        return (System.nanoTime() - t) * threads;
    }
}
