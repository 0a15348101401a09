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
                            [--out FILE] [--threads N]

            Replays the events under both rule folders and prints, per rule, the findings of each kind
            under each version; the findings that appear or disappear with the change (up to 50 of
            each; all of them in --out); and per community the KPI values that change. Progress goes
            to stderr. Nothing is stored and nothing is sent.

              --from, --to   compare only findings and KPI periods in this window (events before it
                             are still replayed, so tickets open at its start are whole)
              --out FILE     the whole result as JSON
            """;

    private final PrintStream out;
    private final PrintStream err;

    BacktestCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) throws Exception {
        Args args = new Args(argv, 0, Set.of("--events", "--rules", "--against", "--until", "--from", "--to", "--out",
                "--threads"), Set.of());
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
        Replay.Parsed parsed;
        try (BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            parsed = Replay.read(in, threads);
        }
        if (!parsed.rejections().isEmpty()) {
            err.println("backtest: " + parsed.rejections().size() + " lines rejected (first: " + parsed.rejections().get(0) + ")");
        }
        java.util.Set<String> known = new java.util.HashSet<>();
        parsed.inputs().forEach(i -> known.add(i.event().community()));
        ReplayCommand.unknownCommunities(next, Path.of(args.require("--rules")), known, err);
        long total = parsed.inputs().size();
        long[] lastShown = {0};
        Backtest.Result r = Backtest.run(parsed.inputs(), next, old, until, from, to, threads, n -> {
            if (n - lastShown[0] >= Math.max(1, total / 20)) {
                lastShown[0] = n;
                err.printf("backtest: %d%% (%d of %d events, twice)%n", 100 * n / Math.max(1, total), n, total);
            }
        }, () -> false);
        out.printf("backtest of %s (new) against %s (old): %d events in %.1f s (%.0f events/s through both rule sets)%n",
                r.newVersion(), r.oldVersion(), r.events(), r.seconds(), 2 * r.events() / Math.max(r.seconds(), 1e-9));
        out.printf("%n%-40s %-10s %8s %8s %8s%n", "rule", "kind", "old", "new", "change");
        r.perRule().forEach((rule, kinds) -> kinds.forEach((kind, c) -> {
            if (c[0] != c[1]) {
                out.printf("%-40s %-10s %8d %8d %+8d%n", rule, kind, c[0], c[1], c[1] - c[0]);
            }
        }));
        out.printf("(rules with the same counts under both are not listed)%n%n");
        out.printf("%d findings appear, %d disappear%n", r.appeared().size(), r.disappeared().size());
        r.appeared().stream().limit(50).forEach(f -> out.println("  + " + line(f)));
        r.disappeared().stream().limit(50).forEach(f -> out.println("  - " + line(f)));
        out.printf("%n%d KPI values change%n", r.kpis().size());
        r.kpis().stream().filter(k -> k.period().length() == 7).limit(50).forEach(k -> out.printf("  %-28s %-8s %-8s %s -> %s%n",
                k.kpi(), k.community(), k.period(), k.beforeRatio(), k.afterRatio()));
        if (args.get("--out") != null) {
            Map<String, Object> m = new LinkedHashMap<>(r.summary());
            m.put("appearedFindings", r.appeared().stream().map(Json::toMap).toList());
            m.put("disappearedFindings", r.disappeared().stream().map(Json::toMap).toList());
            m.put("kpis", r.kpis());
            Files.writeString(Path.of(args.get("--out")), Json.write(m), StandardCharsets.UTF_8);
            out.println("\nthe whole result is in " + args.get("--out"));
        }
        return 0;
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
