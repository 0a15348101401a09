package pm.monitor.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import pm.monitor.rules.Problem;
import pm.monitor.engine.RulesCheck;

/** {@code validate --rules DIR}: every error of a rules folder, with file and line. */
final class ValidateCommand {
    static final String HELP = """
            Usage: validate [--rules DIR] [--events FILE] [--json]

            Checks a rules folder as serve, replay, backtest and test load it: compiles the DRL
            files, reads parameters.conf and the calendars, and dry-runs the rules on a built-in
            set of events (every event type; every shipped rule fires), on the folder's
            scenarios/*.events.ndjson and on the events of each rule test in tests/*.test, so
            that a rule that would fail when it fires is found now.
            Reports every problem as FILE:LINE: message on stderr, and notes (files left out,
            rules the dry run did not make fire, a [community CODE] section naming a community
            the events do not have) as "note:" lines. Lints: the same rule name in two packages, a
            helper rule whose @id opens no duty, a @clause naming no handbook of the catalog are
            errors; an id or clause the catalog (HANDBOOK-RULES.md) does not list, a parameter no
            rule reads are warnings. Exit code 0 when the folder is good (warnings allowed), 1 when
            it has problems, 2 on bad usage.

              --rules DIR     the rules folder (default: ./rules, or the checkout's rules/)
              --events FILE   an event file (NDJSON) whose communities are the known ones: a
                              [community CODE] section for another community is a warning.
                              Without it the sections are not checked here (serve checks them
                              against its stored events; replay and backtest against theirs)
              --json          one JSON object on stdout for CI: {"folder", "ok", "version",
                              "messages": [{"file", "line", "severity": error|warning|note,
                              "message"}]}
            """;

    private final PrintStream out;
    private final PrintStream err;

    ValidateCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) throws java.io.IOException {
        Args args = new Args(argv, 0, Set.of("--rules", "--events"), Set.of("--json"));
        if (args.help()) {
            out.print(HELP);
            return 0;
        }
        Path dir = args.get("--rules") != null ? Path.of(args.get("--rules")) : Home.folder("rules");
        long start = System.nanoTime();
        Set<String> known = args.get("--events") == null ? null : communities(Path.of(args.get("--events")));
        RulesCheck.Result r = RulesCheck.check(dir, known, java.time.Clock.systemUTC());
        if (args.flag("--json")) {
            out.println(pm.monitor.finding.Json.write(json(dir, r)));
            return r.ok() ? 0 : 1;
        }
        for (Problem n : r.notes()) {
            err.println("note: " + RulesCheck.describe(dir, n));
        }
        if (r.ok()) {
            pm.monitor.rules.RuleSet set = r.rules();
            out.printf("%s: OK — %d rules, %d parameters, calendars %s, version %s; dry run: %d events, %d of %d rules"
                            + " fired in %d ms (%d ms in all)%n", dir,
                    set.rules().size(), set.parameters().defaults().size(),
                    set.calendars().all().values().stream().map(c -> c.name() + " " + c.describeYears()).toList(),
                    set.version(), r.dryRun().events(), r.dryRun().fired(), r.dryRun().rules(),
                    r.dryRun().millis(), (System.nanoTime() - start) / 1_000_000);
            return 0;
        }
        List<Problem> problems = r.problems();
        for (Problem p : problems) {
            err.println(RulesCheck.describe(dir, p));
        }
        if (!(problems.size() == 1 && problems.get(0).file().equals(dir.toString()))) {
            err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in " + dir);
        }
        return 1;
    }

    /** The result for CI: every problem (error) and note (warning, or note), each with file and line. */
    static java.util.Map<String, Object> json(Path dir, RulesCheck.Result r) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("folder", dir.toString());
        m.put("ok", r.ok());
        m.put("version", r.ok() ? r.rules().version() : null);
        List<java.util.Map<String, Object>> messages = new java.util.ArrayList<>();
        for (Problem p : r.problems()) {
            messages.add(message(p, "error", p.message()));
        }
        for (Problem n : r.notes()) {
            boolean warning = n.message().startsWith("warning: ");
            messages.add(message(n, warning ? "warning" : "note",
                    warning ? n.message().substring("warning: ".length()) : n.message()));
        }
        m.put("messages", messages);
        return m;
    }

    private static java.util.Map<String, Object> message(Problem p, String severity, String text) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("file", p.file());
        m.put("line", p.line());
        m.put("severity", severity);
        m.put("message", text);
        return m;
    }

    /** The communities of an event file (lines that do not parse are skipped: replay reports them). */
    static Set<String> communities(Path events) throws java.io.IOException {
        Set<String> out = new java.util.TreeSet<>();
        try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(events, java.nio.charset.StandardCharsets.UTF_8)) {
            new pm.monitor.event.EventReader().read(in, new pm.monitor.event.EventReader.Sink() {
                @Override
                public void accept(pm.monitor.event.Event event, int line, String text) {
                    out.add(event.community());
                }

                @Override
                public void reject(pm.monitor.event.Rejection rejection) {
                }
            });
        }
        return out;
    }
}
