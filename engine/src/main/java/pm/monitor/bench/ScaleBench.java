package pm.monitor.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code benchmark --sections scale} (issue 21): what an analyst's one {@code replay} costs,
 * measured as they run it — one fresh {@code java -jar} process from start to exit with default
 * JVM options, here on N generated events — with its max RSS, beside the no-rules baseline
 * process on the same file, a one-off replay of 100,000 events, and the projection for a
 * billion events. Communities are generated at a fixed size (30 days of 40 tickets a day, about
 * 9,000 events each) and more of them for more events, as a larger company has.
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

    public ScaleBench(PrintStream out, Path jar, Path rules, Path work, List<String> jvm) {
        this.jvm = jvm;
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
        Path small = generate(100_000);
        long n = Files.lines(big).count();
        long m = Files.lines(small).count();
        out.printf("%nscale: one fresh `java %s-jar monitor.jar replay` process per figure, wall from start to exit%n",
                jvm.isEmpty() ? "" : String.join(" ", jvm) + " ");
        Run oneOff = replay(small, m, false);
        print("one-off replay", oneOff);
        Run baseline = replay(big, n, true);
        print("baseline, no rules", baseline);
        Run full = replay(big, n, false);
        print("replay, full catalog", full);
        out.printf("rules cost: %.2f× the baseline%n", baseline.rate() / full.rate());
        double hours = 1e9 / full.rate() / 3600;
        out.printf("projection: 1,000,000,000 events at %,.0f events/s = %.1f h on this machine%n", full.rate(), hours);
        Files.deleteIfExists(big);
        Files.deleteIfExists(small);
    }

    private void print(String what, Run r) {
        out.printf("%-22s %,12d events %8.1f s %,10.0f events/s  max RSS %,6d MB%s%n", what + ":", r.events(), r.seconds(),
                r.rate(), r.maxRssKb() >> 10, r.exit() == 0 ? "" : "  (exit " + r.exit() + ")");
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

    private Run replay(Path events, long count, boolean noRules) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", jar.toString(), "replay", "--events", events.toString(),
                "--rules", rules.toString(), "--out", "/dev/null", "--no-kpis", "--tmp", work.toString()));
        if (noRules) {
            cmd.add("--no-rules");
        }
        Path log = work.resolve("scale-replay.log");
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
