package pm.monitor.cli;

import java.io.BufferedReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pm.monitor.engine.Backtest;
import pm.monitor.engine.StreamBacktest;
import pm.monitor.engine.Replay;
import pm.monitor.event.Timestamps;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;
import pm.monitor.engine.RulesCheck;
import pm.monitor.rules.RuleSet;
import pm.monitor.rules.RulesException;

/** {@code backtest}: what a rules change would have done on past events, without storing or sending anything. */
final class BacktestCommand {
    static final String HELP = """
            Usage: backtest --events FILE --rules NEW --against OLD [--until TIME] [--from TIME] [--to TIME]
                            [--rule ID[,ID...]] [--community CODE[,CODE...]] [--json] [--out FILE] [--threads N]
                            [--tmp DIR]

            Replays the events under both rule folders and prints, per rule and kind, the findings
            under each version and how many are new, gone or moved (the same rule, kind and subject
            at another time: a deadline moved by a changed limit); then per ticket (or subject) each
            finding that is new, gone or moved, with its old and new time (up to 50 tickets; all of
            them in --json and --out); then the KPI values that change, by period. Progress goes
            to stderr. Nothing is stored and nothing is sent.

              --from, --to   compare only findings and KPI periods in this window (events before it
                             are still replayed, so tickets open at its start are whole)
              --rule         compare only the findings of these rule ids
              --community    compare only these communities' findings and KPIs (all are replayed)
              --json         the whole result as JSON on stdout instead of the text (same figures)
              --out FILE     the whole result as JSON in FILE as well
              --tmp DIR      where NDJSON events are split by community while they are replayed
                             (default: the system's temporary folder; about the file's size)

            NDJSON events are backtested in bounded memory, whatever the file's size: split by
            community into temporary parts, each part replayed under both versions and compared.
            A JSON array is read whole.
            """;

    private final PrintStream out;
    private final PrintStream err;

    BacktestCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** A list whose elements are mapped when they are read (as the JSON is written), not all at once. */
    private static <T> java.util.List<Object> mapped(java.util.List<T> list, java.util.function.Function<T, ?> f) {
        return new java.util.AbstractList<>() {
            @Override
            public Object get(int i) {
                return f.apply(list.get(i));
            }

            @Override
            public int size() {
                return list.size();
            }
        };
    }

    int run(String[] argv) throws Exception {
        Args args = new Args(argv, 0, Set.of("--events", "--rules", "--against", "--until", "--from", "--to", "--out",
                "--threads", "--rule", "--community", "--tmp"), Set.of("--json"));
        if (args.help()) {
            out.print(HELP);
            return 0;
        }
        Path events = Path.of(args.require("--events"));
        RuleSet next = load(Path.of(args.require("--rules")));
        RuleSet old = load(Path.of(args.require("--against")));
        if (next == null || old == null) {
            return 1;
        }
        Instant until = time(args, "--until");
        Instant from = time(args, "--from");
        Instant to = time(args, "--to");
        int threads = Integer.parseInt(args.get("--threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        Backtest.Filter filter = new Backtest.Filter(list(args.get("--rule")), list(args.get("--community")));
        Path tmp = ReplayCommand.tmpFolder(args);
        Backtest.Result r;
        try (BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            if (pm.monitor.event.EventReader.jsonArray(in)) { // a JSON array is read whole
                r = inMemory(Replay.read(in, threads), next, old, until, from, to, filter, threads, args);
            } else { // NDJSON: in bounded memory, a part of the communities at a time (issue 21)
                long[] lastNote = {System.nanoTime()};
                long t0 = System.nanoTime();
                StreamBacktest.Outcome o = new StreamBacktest(next, old, threads, tmp).run(in, Files.size(events), until,
                        from, to, filter, n -> {
                            if (System.nanoTime() - lastNote[0] > 5_000_000_000L) { // a line every 5 s on long work
                                lastNote[0] = System.nanoTime();
                                err.printf("backtest: %,d events through both rule sets, %.0f s%n", n,
                                        (System.nanoTime() - t0) / 1e9);
                            }
                        });
                r = o.result();
                ReplayCommand.unknownCommunities(next, Path.of(args.require("--rules")), o.communities(), err);
                if (!o.rejections().isEmpty()) {
                    err.println("backtest: " + o.rejections().size() + " lines rejected (first: " + o.rejections().get(0) + ")");
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            err.println("backtest: no such file: " + e.getFile());
            return 1;
        }
        // Each change and finding becomes a map only while it is written, and the JSON goes to the
        // file or stdout as it is made: 10,000,000 events with a changed limit ran out of a 1 GB
        // heap building all the maps and then the whole text as one string.
        Map<String, Object> whole = new LinkedHashMap<>(r.summary());
        whole.put("changes", mapped(r.changes(), Backtest.Change::toMap));
        whole.put("appearedFindings", mapped(r.appeared(), Json::toMap));
        whole.put("disappearedFindings", mapped(r.disappeared(), Json::toMap));
        whole.put("kpis", r.kpis());
        if (args.get("--out") != null) {
            try (java.io.Writer w = Files.newBufferedWriter(Path.of(args.get("--out")), StandardCharsets.UTF_8)) {
                Json.write(whole, w);
            }
        }
        if (args.flag("--json")) {
            java.io.Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
            Json.write(whole, w);
            out.println();
            return 0;
        }
        text(r, filter);
        if (args.get("--out") != null) {
            out.println("\nthe whole result is in " + args.get("--out"));
        }
        return 0;
    }

    /** A JSON array: parsed whole and both versions replayed in memory. */
    private Backtest.Result inMemory(Replay.Parsed parsed, RuleSet next, RuleSet old, Instant until, Instant from,
                                     Instant to, Backtest.Filter filter, int threads, Args args) {
        if (!parsed.rejections().isEmpty()) {
            err.println("backtest: " + parsed.rejections().size() + " lines rejected (first: " + parsed.rejections().get(0) + ")");
        }
        java.util.Set<String> known = new java.util.HashSet<>();
        parsed.inputs().forEach(i -> known.add(i.event().community()));
        ReplayCommand.unknownCommunities(next, Path.of(args.require("--rules")), known, err);
        long total = parsed.inputs().size();
        long[] lastShown = {0};
        return Backtest.run(parsed.inputs(), next, old, until, from, to, filter, threads, n -> {
            if (n - lastShown[0] >= Math.max(1, total / 20)) {
                lastShown[0] = n;
                err.printf("backtest: %d%% (%d of %d events, twice)%n", 100 * n / Math.max(1, total), n, total);
            }
        }, () -> false);
    }

    private void text(Backtest.Result r, Backtest.Filter filter) {
        out.printf("backtest of %s (new) against %s (old): %d events in %.1f s (%.0f events/s through both rule sets)%n",
                r.newVersion(), r.oldVersion(), r.events(), r.seconds(), 2 * r.events() / Math.max(r.seconds(), 1e-9));
        if (filter.rules() != null || filter.communities() != null) {
            out.printf("compared: %s%s%n", filter.rules() == null ? "every rule" : "rules " + String.join(", ", filter.rules()),
                    filter.communities() == null ? "" : "; communities " + String.join(", ", filter.communities()));
        }
        out.printf("%n%-40s %-10s %8s %8s %8s %8s %8s %8s%n", "rule", "kind", "old", "new", "change", "added", "gone", "moved");
        r.changeCounts().forEach((rule, kinds) -> kinds.forEach((kind, c) -> {
            if (c[0] != c[1] || c[2] + c[3] + c[4] > 0) {
                out.printf("%-40s %-10s %8d %8d %+8d %8d %8d %8d%n", rule, kind, c[0], c[1], c[1] - c[0], c[2], c[3], c[4]);
            }
        }));
        out.printf("(rules with no finding added, gone or moved are not listed)%n%n");
        Map<String, List<Backtest.Change>> byTicket = new LinkedHashMap<>();
        for (Backtest.Change c : r.changes()) {
            byTicket.computeIfAbsent(c.community() + "/" + (c.ticket() != null ? c.ticket() : c.subject()),
                    k -> new java.util.ArrayList<>()).add(c);
        }
        long moved = r.changes().stream().filter(c -> c.change().equals("moved")).count();
        long gone = r.changes().stream().filter(c -> c.change().equals("gone")).count();
        out.printf("%d findings changed on %d tickets or subjects: %d added, %d gone, %d moved"
                        + " (by finding id: %d appear, %d disappear)%n", r.changes().size(), byTicket.size(),
                r.changes().size() - moved - gone, gone, moved, r.appeared().size(), r.disappeared().size());
        byTicket.entrySet().stream().limit(50).forEach(e -> {
            out.println("  " + e.getKey());
            for (Backtest.Change c : e.getValue()) {
                Map<String, Object> m = c.toMap();
                String what = c.rule() + " " + c.kind() + (c.subject().equals(c.ticket()) || c.ticket() == null
                        && e.getKey().endsWith("/" + c.subject()) ? "" : " " + c.subject());
                switch (c.change()) {
                    case "new" -> out.printf("    + %-7s %s at %s%n", "new", what, m.get("newAt"));
                    case "gone" -> out.printf("    - %-7s %s at %s%n", "gone", what, m.get("oldAt"));
                    default -> out.printf("    ~ %-7s %s at %s -> %s%n", "moved", what, m.get("oldAt"), m.get("newAt"));
                }
            }
        });
        if (byTicket.size() > 50) {
            out.printf("  ... %d more tickets (all of them with --json or --out)%n", byTicket.size() - 50);
        }
        Map<Integer, Long> byLength = new java.util.TreeMap<>();
        r.kpis().forEach(k -> byLength.merge(k.period().length(), 1L, Long::sum));
        out.printf("%n%d KPI values change (%d monthly, %d weekly, %d daily)%n", r.kpis().size(),
                byLength.getOrDefault(7, 0L), byLength.getOrDefault(8, 0L), byLength.getOrDefault(10, 0L));
        r.kpis().stream().sorted(java.util.Comparator.comparing((Backtest.KpiChange k) -> k.period().length())
                        .thenComparing(Backtest.KpiChange::kpi).thenComparing(Backtest.KpiChange::community)
                        .thenComparing(Backtest.KpiChange::period))
                .limit(50).forEach(k -> out.printf("  %-28s %-8s %-10s %s -> %s%n",
                        k.kpi(), k.community(), k.period(), k.beforeRatio(), k.afterRatio()));
        if (r.kpis().size() > 50) {
            out.printf("  ... %d more (all of them with --json or --out)%n", r.kpis().size() - 50);
        }
    }

    private static Set<String> list(String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        Set<String> s = new java.util.TreeSet<>();
        for (String x : v.split(",")) {
            if (!x.isBlank()) {
                s.add(x.trim());
            }
        }
        return s;
    }

    private static String line(Finding f) {
        return f.rule() + " " + f.kind() + " " + f.community() + "/" + f.subject() + " at "
                + pm.monitor.calendar.Times.iso(f.at(), f.zone())
                + (f.dueAt() == null ? "" : " due " + pm.monitor.calendar.Times.iso(f.dueAt(), f.zone()));
    }

    private RuleSet load(Path dir) {
        try {
            return RulesCheck.load(dir, Clock.systemUTC(), n -> err.println("note: " + RulesCheck.describe(dir, n)));
        } catch (RulesException e) {
            err.println("backtest: the rules in " + dir + " do not load:");
            e.problems().forEach(p -> err.println("  " + RulesCheck.describe(dir, p)));
            return null;
        }
    }

    private static Instant time(Args args, String name) {
        String v = args.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Timestamps.parse(v);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(name + ": " + e.getMessage());
        }
    }

}
