package pm.monitor.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import pm.monitor.app.Application;
import pm.monitor.app.Config;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.store.EventStore;

/**
 * {@code benchmark --sections scale} (issue 21): what a user's one process costs, measured as they
 * run it — one fresh {@code java -jar} process from start to exit, here on N generated events —
 * with its max RSS: replay with the full catalog beside the no-rules baseline, replay of a quarter
 * of the events (is memory flat in N?), a one-off replay of 100,000 events, a backtest of two rule
 * versions, and the start-up rebuild of {@code serve} from the N events stored; each against issue
 * 21's target, and the projection for a billion events. Communities are generated at a fixed size
 * (30 days of 40 tickets a day, about 9,000 events each) and more of them for more events, as a
 * larger company has.
 */
public final class ScaleBench {

    /** Generated events per community (30 days × 40 tickets a day), measured: 10 communities give 83,501. */
    static final int EVENTS_PER_COMMUNITY = 8_350;

    private final PrintStream out;
    private final Path jar;
    private final Path rules;
    private final Path work;

    /** JVM options of the replay processes: the README's command sets -XX:+UseParallelGC -Xmx1g (a replay's memory is bounded). */
    private final List<String> jvm;

    /** A PostgreSQL server for the rebuild (a fresh schema), or null: an embedded one in the work folder. */
    private final String dbUrl;

    public ScaleBench(PrintStream out, Path jar, Path rules, Path work, List<String> jvm, String dbUrl) {
        this.jvm = jvm;
        this.dbUrl = dbUrl;
        this.out = out;
        this.jar = jar;
        this.rules = rules;
        this.work = work;
    }

    /** One process's figures. */
    public record Run(long events, double seconds, long maxRssKb, int exit) {
        double rate() {
            return events / seconds;
        }
    }

    public void run(long events) throws Exception {
        Files.createDirectories(work);
        Path big = generate(events);
        Path quarter = generate(events / 4);
        Path small = generate(100_000);
        long n = count(big);
        long q = count(quarter);
        long m = count(small);
        out.printf("%nscale: one fresh `java %s-jar monitor.jar …` process per figure, wall from start to exit%n",
                jvm.isEmpty() ? "" : String.join(" ", jvm) + " ");
        Run oneOff = process(jvm, replayArgs(small, false), m);
        print("one-off replay", oneOff, "≤ 3 s wall", oneOff.seconds() <= 3);
        // The README's quick-loop command: a small replay spends most of its CPU in the C2
        // compiler (profile in docs/benchmarks.md), which C1 alone spares.
        List<String> quick = new ArrayList<>(jvm);
        quick.add(QUICK_LOOP);
        Run quickOneOff = process(quick, replayArgs(small, false), m);
        out.printf("  (quick loop: the README's command for a small file, with %s)%n", QUICK_LOOP);
        print("one-off, quick loop", quickOneOff, "≤ 3 s wall", quickOneOff.seconds() <= 3);
        Run baseline = process(jvm, replayArgs(big, true), n);
        print("baseline, no rules", baseline, null, true);
        Run full = process(jvm, replayArgs(big, false), n);
        print("replay, full catalog", full, "≥ 300,000 events/s, ≤ 2 GB", full.rate() >= 300_000 && full.maxRssKb() <= 2L << 20);
        Run fourth = process(jvm, replayArgs(quarter, false), q);
        print("replay, a quarter", fourth, "≥ 250,000 events/s", fourth.rate() >= 250_000);
        double apart = Math.abs(full.maxRssKb() - fourth.maxRssKb()) / (double) Math.min(full.maxRssKb(), fourth.maxRssKb());
        out.printf("max RSS, %,d vs %,d events: %.0f%% apart (target: within 20%%: %s)%n", n, q, 100 * apart,
                apart <= 0.2 ? "met" : "missed");
        out.printf("rules cost: %.2f× the baseline%n", baseline.rate() / full.rate());
        Path against = ServiceBench.copyOfRules(rules, "scale-against");
        try {
            // the analyst's question: what would a 90-minute contact limit have done (it was 2 h)?
            Path conf = against.resolve("parameters.conf");
            Files.writeString(conf, Files.readString(conf).replace(CONTACT_LIMIT, CONTACT_LIMIT_CHANGED));
            Run backtest = process(jvm, List.of("backtest", "--events", big.toString(), "--rules", against.toString(),
                    "--against", rules.toString(), "--out", "/dev/null", "--tmp", work.toString()), n);
            print("backtest, 2 versions", backtest, "≥ 150,000 events/s", backtest.rate() >= 150_000);
        } finally {
            ServiceBench.delete(against);
        }
        rebuild(big, n);
        double hours = 1e9 / full.rate() / 3600;
        out.printf("projection: 1,000,000,000 events at %,.0f events/s = %.1f h on this machine%n", full.rate(), hours);
        Files.deleteIfExists(big);
        Files.deleteIfExists(quarter);
        Files.deleteIfExists(small);
    }

    /** The JVM option of the README's command for a small replay or backtest (an analyst's loop). */
    static final String QUICK_LOOP = "-XX:TieredStopAtLevel=1";

    /** The limit the backtest changes (as `benchmark --sections rebuild` does for its reload). */
    static final String CONTACT_LIMIT = "complaint.contact-2h.limit : limit = 2h";
    static final String CONTACT_LIMIT_CHANGED = "complaint.contact-2h.limit : limit = 90min";

    private static long count(Path file) throws IOException {
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }

    private List<String> replayArgs(Path events, boolean noRules) {
        List<String> args = new ArrayList<>(List.of("replay", "--events", events.toString(), "--rules", rules.toString(),
                "--out", "/dev/null", "--no-kpis", "--tmp", work.toString()));
        if (noRules) {
            args.add("--no-rules");
        }
        return args;
    }

    // ---- the service's start-up rebuild ------------------------------------------------------------

    /**
     * The service's start-up rebuild from {@code n} stored events, as a user meets it: the events
     * are stored first (straight into the event store, as serve stores what it acknowledges), then
     * a fresh {@code serve} process is started on that database with the README's command (no JVM
     * options) and timed from its start to its first answer on /api/health — the state of every
     * community rebuilt. Twice: the first start stores every finding it makes (as after an
     * import); the restart skips the findings stored before.
     */
    private void rebuild(Path events, long n) throws Exception {
        Path data = work.resolve("serve-data");
        ServiceBench.delete(data);
        String db = dbUrl == null ? null : ServiceBench.freshSchema(dbUrl);
        long t = System.nanoTime();
        long stored = store(events, db, data);
        out.printf("stored %,d events for the rebuild in %.1f s%n", stored, (System.nanoTime() - t) / 1e9);
        for (String what : List.of("first start", "restart")) {
            Run start = serve(db, data, stored);
            print("serve " + what, start, "≥ 100,000 events/s", start.rate() >= 100_000);
            // where the time went, from serve's own log: the database, the rules, the rebuild
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "database ready: .*\\((\\d+) ms\\)|state rebuilt from (\\d+) stored events in (\\d+) ms \\(rules loaded and dry-run in (\\d+) ms")
                    .matcher(Files.readString(work.resolve("scale-serve.log")));
            StringBuilder parts = new StringBuilder();
            while (m.find()) {
                parts.append(m.group(1) != null ? String.format("database ready %.1f s; ", Long.parseLong(m.group(1)) / 1e3)
                        : String.format("rules loaded %.1f s, state rebuilt in %.1f s (%,.0f events/s); ",
                        Long.parseLong(m.group(4)) / 1e3, Long.parseLong(m.group(3)) / 1e3,
                        Long.parseLong(m.group(2)) / (Long.parseLong(m.group(3)) / 1e3)));
            }
            out.println("  of which: " + parts);
        }
        ServiceBench.delete(data);
    }

    /** Stores the file's events in the database serve will start on (the embedded one in {@code data} without --db). */
    private long store(Path events, String db, Path data) throws Exception {
        Path home = rules.toAbsolutePath().getParent();
        Config config = new Config(0, db, null, null, data, 0, rules, home.resolve("db"), home.resolve("dashboard"),
                "events", Runtime.getRuntime().availableProcessors(), 64 << 20, 100, false);
        long[] n = {0};
        try (Application app = new Application(config, Clock.systemUTC()).start();
             BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            EventStore store = new EventStore(app.database().dsl());
            List<EventStore.Stored> chunk = new ArrayList<>();
            long[] next = {System.nanoTime() + 10_000_000_000L};
            new EventReader().read(in, new EventReader.Sink() {
                @Override
                public void accept(Event event, int line, String text) {
                    chunk.add(new EventStore.Stored(event, text));
                    if (chunk.size() == 20_000) {
                        store.insert(chunk);
                        n[0] += chunk.size();
                        chunk.clear();
                        if (System.nanoTime() > next[0]) {
                            out.printf("  … %,d events stored%n", n[0]);
                            next[0] = System.nanoTime() + 10_000_000_000L;
                        }
                    }
                }

                @Override
                public void reject(Rejection rejection) {
                    throw new IllegalStateException("generated event rejected: " + rejection);
                }
            });
            store.insert(chunk);
            n[0] += chunk.size();
        }
        return n[0];
    }

    /** One fresh serve process on the stored events: from its start to its first 200 on /api/health, then stopped. */
    private Run serve(String db, Path data, long n) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", jar.toString(), "serve", "--port", String.valueOf(port),
                "--clock", "events", "--rules", rules.toString(), "--no-watch"));
        cmd.addAll(db == null ? List.of("--data", data.toString()) : List.of("--db", db));
        Path log = work.resolve("scale-serve.log");
        long t = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path status = Path.of("/proc", String.valueOf(p.pid()), "status");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI health = java.net.URI.create("http://127.0.0.1:" + port + "/api/health");
        long peak = 0;
        double seconds = -1;
        while (p.isAlive() && seconds < 0) {
            peak = Math.max(peak, peakRss(status));
            try {
                if (http.send(java.net.http.HttpRequest.newBuilder(health).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    seconds = (System.nanoTime() - t) / 1e9;
                }
            } catch (IOException notYet) {
                Thread.sleep(100); // not listening yet: still rebuilding
            }
        }
        peak = Math.max(peak, peakRss(status));
        p.destroy(); // SIGTERM: serve stops cleanly and stops its embedded PostgreSQL
        int exit = p.waitFor();
        if (seconds < 0) {
            out.println(Files.readString(log));
            return new Run(n, (System.nanoTime() - t) / 1e9, peak, exit == 0 ? 1 : exit);
        }
        return new Run(n, seconds, peak, 0);
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** One figure's line, with its target (issue 21) and whether it was met. */
    private void print(String what, Run r, String target, boolean met) {
        out.printf("%-22s %,12d events %8.1f s %,10.0f events/s  max RSS %,6d MB%s%s%n", what + ":", r.events(), r.seconds(),
                r.rate(), r.maxRssKb() >> 10, r.exit() == 0 ? "" : "  (exit " + r.exit() + ")",
                target == null ? "" : "  target " + target + ": " + (met && r.exit() == 0 ? "met" : "missed"));
    }

    /** Generated events, about {@code events} of them, in a file (kept for a second run with the same size). */
    private Path generate(long events) throws IOException {
        int communities = (int) Math.max(1, Math.round((double) events / EVENTS_PER_COMMUNITY));
        Path file = work.resolve("scale-" + communities + ".ndjson");
        if (!Files.exists(file)) {
            long t = System.nanoTime();
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                new Generator(communities, 30, LocalDate.of(2026, 3, 2), 21, 40, 8).write(w);
            }
            out.printf("generated %d communities × 30 days into %s in %.1f s%n", communities, file,
                    (System.nanoTime() - t) / 1e9);
        }
        return file;
    }

    /** One fresh monitor.jar process with these JVM options and arguments: wall from start to exit, max RSS. */
    private Run process(List<String> options, List<String> args, long count) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(options);
        cmd.addAll(List.of("-jar", jar.toString()));
        cmd.addAll(args);
        Path log = work.resolve("scale-" + args.get(0) + ".log");
        long t = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long peak = 0;
        Path status = Path.of("/proc", String.valueOf(p.pid()), "status");
        while (p.isAlive()) {
            peak = Math.max(peak, peakRss(status)); // VmHWM: the peak so far, read until the process ends
            Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        int exit = p.waitFor();
        if (exit != 0) {
            out.println(Files.readString(log));
        }
        return new Run(count, seconds, peak, exit);
    }

    /** The process's peak resident set in KB, from Linux's /proc (0 where there is none). */
    private static long peakRss(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended between the check and the read
        }
        return 0;
    }
}
