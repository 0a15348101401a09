package pm.monitor.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import pm.monitor.engine.Replay;
import pm.monitor.engine.StreamReplay;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.event.Timestamps;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;
import pm.monitor.finding.Kpi;
import pm.monitor.engine.RulesCheck;
import pm.monitor.rules.RuleBook;
import pm.monitor.rules.RuleSet;
import pm.monitor.rules.RulesException;

/** {@code replay --events FILE}: findings and KPIs of an event file, offline, on event time. */
final class ReplayCommand {
    static final String HELP = """
            Usage: replay --events FILE [--rules DIR] [--until TIME] [--out FILE] [--threads N] [--tmp DIR]

            Evaluates an event file (NDJSON, or a JSON array) offline on event time, with no server
            and no database, and writes the findings as NDJSON, then the KPIs (per community and for
            the whole company, community "*"). Lines that break the contract are reported on stderr
            with their line number, id, field and reason, and left out; the rest is evaluated.

              --events FILE   the events (required; - for stdin)
              --rules DIR     the rules folder (default: ./rules, or the checkout's rules/)
              --until TIME    where the clock runs to after the last event, ISO-8601 with offset
                              (default: the last event's time); deadlines up to it are judged
              --out FILE      write findings and KPIs here instead of stdout
              --threads N     communities evaluated in parallel (default: the number of cores)
              --tmp DIR       where NDJSON input is split by community while it is evaluated
                              (default: the system's temporary folder; about the input's size)
              --no-rules      read, check and order the events only (the benchmark's baseline)
              --no-kpis       write the findings only
              --strict        exit with code 1 if any line was rejected

            NDJSON input is evaluated in bounded memory, whatever its size and order: it is
            split by community into temporary files and evaluated a part at a time; a long run
            says every 5 s how far it is. A JSON array is read whole.

            Exit code 0 on success, 1 on a failure (or a rejected line with --strict), 2 on bad usage.
            """;

    private final PrintStream out;
    private final PrintStream err;

    ReplayCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) {
        Args args = new Args(argv, 0, Set.of("--events", "--rules", "--until", "--out", "--threads", "--tmp"),
                Set.of("--no-kpis", "--strict", "--no-rules"));
        if (args.help()) {
            out.print(HELP);
            return 0;
        }
        String events = args.require("--events");
        Path rulesDir = args.get("--rules") != null ? Path.of(args.get("--rules")) : Home.folder("rules");
        Instant until = null;
        if (args.get("--until") != null) {
            try {
                until = Timestamps.parse(args.get("--until"));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException("--until: " + e.getMessage());
            }
        }
        int threads;
        try {
            threads = Integer.parseInt(args.get("--threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--threads must be a number");
        }
        boolean noRules = args.flag("--no-rules");
        Path tmp = tmpFolder(args);
        // The rules are compiled and dry-run on their own thread while the events are split: a
        // one-off replay of a small file is mostly this load (issue 21).
        java.util.concurrent.CompletableFuture<RuleSet> loading = noRules
                ? java.util.concurrent.CompletableFuture.completedFuture(null)
                : java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> RulesCheck.load(rulesDir, Clock.systemUTC(),
                                n -> err.println("note: " + RulesCheck.describe(rulesDir, n))),
                        java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                            Thread t = new Thread(r, "rules-load");
                            t.setDaemon(true);
                            return t;
                        }));

        long start = System.nanoTime();
        try (BufferedReader in = events.equals("-")
                ? new BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16)
                : Files.newBufferedReader(Path.of(events), StandardCharsets.UTF_8)) {
            if (pm.monitor.event.EventReader.jsonArray(in)) { // a JSON array is read whole, as one document
                RuleSet rules = rules(loading, rulesDir);
                if (rules == null && !noRules) {
                    return 1;
                }
                return inMemory(Replay.read(in, threads), rules, rulesDir, until, threads, args, start);
            }
            if (!events.equals("-")) {
                return streaming(in, Files.size(Path.of(events)), loading, rulesDir, until, threads, tmp, args, start);
            }
            // stdin is kept in a temporary file first: its size sets how many parts it is split into
            Path copy = Files.createTempFile(tmp, "monitor-stdin-", ".ndjson");
            try {
                try (Writer w = Files.newBufferedWriter(copy, StandardCharsets.UTF_8)) {
                    in.transferTo(w);
                }
                try (BufferedReader again = Files.newBufferedReader(copy, StandardCharsets.UTF_8)) {
                    return streaming(again, Files.size(copy), loading, rulesDir, until, threads, tmp, args, start);
                }
            } finally {
                Files.deleteIfExists(copy);
            }
        } catch (NoSuchFileException e) {
            err.println("replay: no such file: " + e.getFile());
            return 1;
        } catch (IOException | java.io.UncheckedIOException e) {
            err.println("replay: cannot read or write: " + e.getMessage());
            return 1;
        } catch (pm.monitor.calendar.CalendarException e) {
            err.println("replay: " + e.getMessage());
            return 1;
        }
    }

    /** {@code --tmp}, or the system's temporary folder; a usage error if it is not a writable folder. */
    static Path tmpFolder(Args args) {
        Path tmp = Path.of(args.get("--tmp", System.getProperty("java.io.tmpdir")));
        if (!Files.isDirectory(tmp) || !Files.isWritable(tmp)) {
            throw new Args.UsageException("--tmp " + tmp + ": not a folder this user can write to");
        }
        return tmp;
    }

    /** The loaded rules, or null after saying why they do not load. */
    private RuleSet rules(java.util.concurrent.CompletableFuture<RuleSet> loading, Path rulesDir) {
        try {
            return loading.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RulesException re) {
                err.println("replay: the rules in " + rulesDir + " do not load:");
                re.problems().forEach(p -> err.println("  " + RulesCheck.describe(rulesDir, p)));
                return null;
            }
            throw e;
        }
    }

    private Writer output(Args args) throws IOException {
        return args.get("--out") != null
                ? Files.newBufferedWriter(Path.of(args.get("--out")), StandardCharsets.UTF_8)
                : new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }

    /** NDJSON, in bounded memory: split by community into temporary files, evaluated bucket by bucket. */
    private int streaming(BufferedReader in, long bytes, java.util.concurrent.CompletableFuture<RuleSet> loading,
                          Path rulesDir, Instant until, int threads, Path tmp, Args args, long start)
            throws IOException {
        long[] lastNote = {System.nanoTime()};
        StreamReplay.Progress progress = (done, of, n) -> {
            long now = System.nanoTime();
            if (of > 1 && (now - lastNote[0] > 5_000_000_000L || done == of)) { // a line every 5 s on long work
                lastNote[0] = now;
                err.printf("replay: %d of %d parts done, %,d events, %.0f s%n", done, of, n, (now - start) / 1e9);
            }
        };
        StreamReplay.Summary s;
        Writer[] opened = {null};
        try {
            s = new StreamReplay(loading::join, threads, tmp).run(in, bytes, until,
                    () -> opened[0] = output(args), !args.flag("--no-kpis"), progress);
        } catch (java.util.concurrent.CompletionException e) {
            if (rules(loading, rulesDir) == null) { // (says why the rules do not load)
                return 1;
            }
            throw e;
        } finally {
            if (opened[0] != null) {
                opened[0].close();
            }
        }
        RuleSet rules = loading.join();
        long evaluated = System.nanoTime();
        if (rules != null) {
            unknownCommunities(rules, rulesDir, s.communities(), err);
        }
        for (Rejection r : s.rejections()) {
            err.println("rejected " + r);
        }
        double seconds = (evaluated - start) / 1e9;
        err.printf("replay: %d events read (%d rejected, %d duplicates), %d findings, %d KPI values; "
                        + "%.2f s (%.0f events/s; split %.2f s into %d parts, %.2f CPU-s of rules on %d threads)%n",
                s.lines(), s.rejections().size(), s.duplicates(), s.findings(), s.kpis(), seconds,
                s.lines() / Math.max(seconds, 1e-9), s.splitSeconds(), s.buckets(), s.cpuNanos() / 1e9, threads);
        provisional(s.provisional(), s.provisionalYears());
        return args.flag("--strict") && !s.rejections().isEmpty() ? 1 : 0;
    }

    /** A JSON array: parsed whole and evaluated in memory. */
    private int inMemory(Replay.Parsed read, RuleSet rules, Path rulesDir, Instant until, int threads, Args args,
                         long start) throws IOException {
        List<Replay.Input> inputs = read.inputs();
        long taken = inputs.size();
        List<Rejection> rejections = new ArrayList<>(read.rejections());
        int duplicates = read.duplicates();
        if (rules == null) {
            err.printf("replay: %d events read (%d rejected, %d duplicates); no rules evaluated%n",
                    taken + rejections.size() + duplicates, rejections.size(), duplicates);
            return 0;
        }
        Set<String> communities = new HashSet<>();
        inputs.forEach(i -> communities.add(i.event().community()));
        unknownCommunities(rules, rulesDir, communities, err);
        long parsed = System.nanoTime();
        Replay.Result result = new Replay(rules, threads).run(inputs, until, null, true); // (inputs emptied)
        long evaluated = System.nanoTime();
        int unread = rejections.size();
        rejections.addAll(result.rejections());
        rejections.sort(java.util.Comparator.comparingInt(Rejection::line));
        for (Rejection r : rejections) {
            err.println("rejected " + r);
        }
        try (Writer w = output(args)) {
            for (Finding f : result.findings()) {
                w.write(Json.line(f));
                w.write('\n');
            }
            if (!args.flag("--no-kpis")) {
                for (Kpi k : result.kpis()) {
                    w.write(Json.line(k));
                    w.write('\n');
                }
            }
        }
        long total = taken + unread + duplicates;
        double seconds = (evaluated - start) / 1e9;
        err.printf("replay: %d events read (%d rejected, %d duplicates), %d findings, %d KPI values; "
                        + "%.2f s (%.0f events/s; parse %.2f s, rules %.2f s, %.2f CPU-s on %d threads)%n",
                total, rejections.size(), duplicates, result.findings().size(), result.kpis().size(), seconds,
                total / Math.max(seconds, 1e-9), (parsed - start) / 1e9, (evaluated - parsed) / 1e9,
                result.cpuNanos() / 1e9, threads);
        long provisional = 0;
        java.util.SortedSet<Object> years = new java.util.TreeSet<>();
        for (Finding f : result.findings()) {
            if (f.details().get("deadline") instanceof java.util.Map<?, ?> d && Boolean.TRUE.equals(d.get("provisional"))) {
                provisional++;
                if (d.get("provisionalYears") instanceof List<?> ys) {
                    years.addAll(ys);
                }
            }
        }
        provisional(provisional, years);
        return args.flag("--strict") && !rejections.isEmpty() ? 1 : 0;
    }

    /** A [community CODE] section for a community the events do not have: a note (issue 18). */
    static void unknownCommunities(RuleSet rules, Path rulesDir, Set<String> known, PrintStream err) {
        for (pm.monitor.rules.Problem p : rules.parameters().unknownCommunities(RuleBook.PARAMETERS, known)) {
            err.println("note: " + RulesCheck.describe(rulesDir, p));
        }
    }

    /** Says how many findings counted working days of a year the calendar has no data for. */
    private void provisional(long n, java.util.SortedSet<Object> years) {
        if (n > 0) {
            String list = String.join(", ", years.stream().map(String::valueOf).toList());
            err.printf("replay: %d findings counted working days of %s provisionally (Monday to Friday, no holidays):"
                    + " the calendar has no data for it; they are marked \"provisional\": true"
                    + " (%d 条结果按暂定工作日计算：日历尚无 %s 年数据)%n", n, list, n, list);
        }
    }
}
