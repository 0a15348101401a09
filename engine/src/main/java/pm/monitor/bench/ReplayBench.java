package pm.monitor.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import pm.monitor.engine.Replay;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.rules.RuleSet;

/**
 * The replay part of the benchmark: the same events through (a) parsing alone, (b) the no-rules
 * baseline — parse, order by event time and route to each community's thread — and (c) the
 * full catalog, in one process, so the figures can be compared.
 */
public final class ReplayBench {
    private ReplayBench() {
    }

    /** {@code engineCpuNanos}: CPU time of the engines' threads on the communities (no parsing, no GC). */
    public record Figures(long events, double parseSeconds, double baselineSeconds, double rulesSeconds,
                          long findings, long engineCpuNanos) {
        public double engineMicrosPerEvent() {
            return engineCpuNanos / 1e3 / events;
        }

        public double parseRate() {
            return events / parseSeconds;
        }

        public double baselineRate() {
            return events / baselineSeconds;
        }

        public double rulesRate() {
            return events / rulesSeconds;
        }
    }

    public static List<Replay.Input> parse(String text) throws IOException {
        Replay.Parsed p = Replay.read(new BufferedReader(new StringReader(text), 1 << 16), 0);
        if (!p.rejections().isEmpty()) {
            throw new IllegalStateException("generated event rejected: " + p.rejections().get(0));
        }
        return p.inputs();
    }

    /** Parse, order and route to community threads, with nothing done per event: the floor. */
    public static long baseline(List<Replay.Input> inputs, int threads) throws Exception {
        Map<String, List<Replay.Input>> byCommunity = new HashMap<>();
        for (Replay.Input in : inputs) {
            byCommunity.computeIfAbsent(in.event().community(), c -> new ArrayList<>()).add(in);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> parts = new ArrayList<>();
            for (List<Replay.Input> events : byCommunity.values()) {
                parts.add(pool.submit(() -> {
                    events.sort(Comparator.comparing((Replay.Input i) -> i.event().at()));
                    long h = 0;
                    for (Replay.Input in : events) {
                        h += in.event().id().hashCode(); // touch every event so the loop is not dead code
                    }
                    return h;
                }));
            }
            long h = 0;
            for (Future<Long> f : parts) {
                h += f.get();
            }
            return h;
        } finally {
            pool.shutdown();
        }
    }

    public static Figures run(String ndjson, RuleSet rules, int threads) throws Exception {
        // Each phase starts from a collected heap and drops what it made, so that one phase's
        // garbage is not collected in the next one's time (the rounds varied by 2× without).
        System.gc();
        long t0 = System.nanoTime();
        List<Replay.Input> inputs = parse(ndjson);
        long t1 = System.nanoTime();
        long events = inputs.size();
        inputs = null;
        System.gc();
        long t2 = System.nanoTime();
        baseline(parse(ndjson), threads);
        long t3 = System.nanoTime();
        System.gc();
        long t4 = System.nanoTime();
        Replay.Result r = new Replay(rules, threads).run(parse(ndjson), null, null, true); // as the replay command
        long t5 = System.nanoTime();
        return new Figures(events, (t1 - t0) / 1e9, (t3 - t2) / 1e9, (t5 - t4) / 1e9, r.findings().size(),
                r.cpuNanos());
    }

    /** Generates {@code communities × days} of events in memory. */
    public static String generate(int communities, int days, int ticketsPerDay) {
        StringWriter w = new StringWriter();
        new Generator(communities, days, java.time.LocalDate.of(2026, 3, 2), 1, ticketsPerDay, 8).write(w);
        return w.toString();
    }

    public static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
