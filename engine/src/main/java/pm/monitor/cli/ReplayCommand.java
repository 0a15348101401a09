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
            Usage: replay --events FILE [--rules DIR] [--until TIME] [--out FILE] [--threads N]

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
              --no-kpis       write the findings only
              --strict        exit with code 1 if any line was rejected

            Exit code 0 on success, 1 on a failure (or a rejected line with --strict), 2 on bad usage.
            """;

    private final PrintStream out;
    private final PrintStream err;

    ReplayCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) {
        Args args = new Args(argv, 0, Set.of("--events", "--rules", "--until", "--out", "--threads"),
                Set.of("--no-kpis", "--strict"));
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
        RuleSet rules;
        try {
            rules = RulesCheck.load(rulesDir, Clock.systemUTC(), n -> err.println("note: " + RulesCheck.describe(rulesDir, n)));
        } catch (RulesException e) {
            err.println("replay: the rules in " + rulesDir + " do not load:");
            e.problems().forEach(p -> err.println("  " + RulesCheck.describe(rulesDir, p)));
            return 1;
        }

        long start = System.nanoTime();
        Replay.Parsed read;
        try (BufferedReader in = events.equals("-")
                ? new BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16)
                : Files.newBufferedReader(Path.of(events), StandardCharsets.UTF_8)) {
            read = Replay.read(in, threads);
        } catch (NoSuchFileException e) {
            err.println("replay: no such file: " + events);
            return 1;
        } catch (IOException | java.io.UncheckedIOException e) {
            err.println("replay: cannot read " + events + ": " + e.getMessage());
            return 1;
        }
        List<Replay.Input> inputs = read.inputs();
        unknownCommunities(rules, rulesDir, inputs, err);
        long taken = inputs.size();
        List<Rejection> rejections = new ArrayList<>(read.rejections());
        int[] duplicates = {read.duplicates()};
        long parsed = System.nanoTime();
        Replay.Result result;
        try {
            result = new Replay(rules, threads).run(inputs, until, null, true); // (inputs emptied)
        } catch (pm.monitor.calendar.CalendarException e) {
            err.println("replay: " + e.getMessage());
            return 1;
        }
        long evaluated = System.nanoTime();
        int unread = rejections.size();
        rejections.addAll(result.rejections());
        rejections.sort(java.util.Comparator.comparingInt(Rejection::line));
        for (Rejection r : rejections) {
            err.println("rejected " + r);
        }
        try (Writer w = args.get("--out") != null
                ? Files.newBufferedWriter(Path.of(args.get("--out")), StandardCharsets.UTF_8)
                : new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
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
        } catch (IOException e) {
            err.println("replay: cannot write: " + e.getMessage());
            return 1;
        }
        long total = taken + unread + duplicates[0];
        double seconds = (evaluated - start) / 1e9;
        err.printf("replay: %d events read (%d rejected, %d duplicates), %d findings, %d KPI values; "
                        + "%.2f s (%.0f events/s; parse %.2f s, rules %.2f s, %.2f CPU-s on %d threads)%n",
                total, rejections.size(), duplicates[0], result.findings().size(), result.kpis().size(), seconds,
                total / Math.max(seconds, 1e-9), (parsed - start) / 1e9, (evaluated - parsed) / 1e9,
                result.cpuNanos() / 1e9, threads);
        provisional(result.findings());
        return args.flag("--strict") && !rejections.isEmpty() ? 1 : 0;
    }

    /** A [community CODE] section for a community the events do not have: a note (issue 18). */
    static void unknownCommunities(RuleSet rules, Path rulesDir, List<Replay.Input> inputs, PrintStream err) {
        java.util.Set<String> known = new java.util.HashSet<>();
        for (Replay.Input i : inputs) {
            known.add(i.event().community());
        }
        for (pm.monitor.rules.Problem p : rules.parameters().unknownCommunities(RuleBook.PARAMETERS, known)) {
            err.println("note: " + RulesCheck.describe(rulesDir, p));
        }
    }

    /** Says how many findings counted working days of a year the calendar has no data for. */
    private void provisional(List<Finding> findings) {
        long n = 0;
        java.util.SortedSet<Object> years = new java.util.TreeSet<>();
        for (Finding f : findings) {
            if (f.details().get("deadline") instanceof java.util.Map<?, ?> d && Boolean.TRUE.equals(d.get("provisional"))) {
                n++;
                if (d.get("provisionalYears") instanceof List<?> ys) {
                    years.addAll(ys);
                }
            }
        }
        if (n > 0) {
            String list = String.join(", ", years.stream().map(String::valueOf).toList());
            err.printf("replay: %d findings counted working days of %s provisionally (Monday to Friday, no holidays):"
                    + " the calendar has no data for it; they are marked \"provisional\": true"
                    + " (%d 条结果按暂定工作日计算：日历尚无 %s 年数据)%n", n, list, n, list);
        }
    }
}
