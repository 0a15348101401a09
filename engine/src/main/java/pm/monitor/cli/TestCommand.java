package pm.monitor.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import pm.monitor.engine.ScenarioCheck;
import pm.monitor.engine.RulesCheck;
import pm.monitor.rules.RuleSet;
import pm.monitor.rules.RulesException;

/** {@code test}: rule tests without Java, from NDJSON scenario files with their expected findings. */
final class TestCommand {
    static final String HELP = """
            Usage: test [--rules DIR] [--scenarios DIR] [--record FILE]

            Replays every NAME.events.ndjson of the scenarios folder (default: DIR/scenarios) with
            the rules of DIR and compares the findings (and KPIs, if the expectation lists any) with
            NAME.expected.ndjson beside it. Prints each missing or unexpected finding; exit code 1
            if any scenario fails.

              --record FILE   write FILE's expectation from the current rules (review it by hand!)
            """;

    private final PrintStream out;
    private final PrintStream err;

    TestCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) throws Exception {
        Args args = new Args(argv, 0, Set.of("--rules", "--scenarios", "--record"), Set.of());
        if (args.help()) {
            out.print(HELP);
            return 0;
        }
        Path rulesDir = args.get("--rules") != null ? Path.of(args.get("--rules")) : Home.folder("rules");
        RuleSet rules;
        try {
            rules = RulesCheck.load(rulesDir, Clock.systemUTC(), n -> err.println("note: " + RulesCheck.describe(rulesDir, n)));
        } catch (RulesException e) {
            err.println("test: the rules in " + rulesDir + " do not load:");
            e.problems().forEach(p -> err.println("  " + RulesCheck.describe(rulesDir, p)));
            return 1;
        }
        if (args.get("--record") != null) {
            ScenarioCheck.record(Path.of(args.get("--record")), rules);
            out.println("recorded the expectation of " + args.get("--record") + "; review it before committing");
            return 0;
        }
        Path dir = args.get("--scenarios") != null ? Path.of(args.get("--scenarios")) : rulesDir.resolve("scenarios");
        if (!Files.isDirectory(dir)) {
            err.println("test: no scenarios folder " + dir);
            return 1;
        }
        List<ScenarioCheck.Outcome> outcomes = ScenarioCheck.run(dir, rules);
        int failed = 0;
        for (ScenarioCheck.Outcome o : outcomes) {
            if (o.passed()) {
                out.printf("PASS %s (%d expected)%n", o.events().getFileName(), o.expected());
                continue;
            }
            failed++;
            out.printf("FAIL %s: %d missing, %d unexpected, %d rejected lines%n", o.events().getFileName(),
                    o.missing().size(), o.unexpected().size(), o.rejected().size());
            o.missing().stream().limit(50).forEach(m -> out.println("  missing    " + m));
            o.unexpected().stream().limit(50).forEach(m -> out.println("  unexpected " + m));
            o.rejected().stream().limit(20).forEach(m -> out.println("  rejected   " + m));
        }
        out.printf("%d scenarios, %d failed%n", outcomes.size(), failed);
        return failed == 0 ? 0 : 1;
    }
}
