package pm.monitor.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pm.monitor.engine.RulesCheck;
import pm.monitor.engine.TestCoverage;
import pm.monitor.finding.Json;
import pm.monitor.rules.RuleSet;

/** {@code coverage}: which rules fired in which tests, and the catalog ids no test makes fire. */
final class CoverageCommand {
    static final String HELP = """
            Usage: coverage [--rules DIR] [--json]

            Execution coverage: runs the rule tests (DIR/tests/*.test) and the scenarios
            (DIR/scenarios/*.events.ndjson) and records which rules — helpers included — fired in
            which test. For every id of the catalog (DIR/HANDBOOK-RULES.md): its clause, its rules,
            the tests that make them fire, and its rules that no test made fire. Exit code 1 if a
            catalog id has no rule, or no test makes one of its rules fire (a KPI the engine counts
            without a rule is not a rule to fire).
            """;

    private final PrintStream out;

    CoverageCommand(PrintStream out) {
        this.out = out;
    }

    int run(String[] argv) throws Exception {
        Args args = new Args(argv, 0, Set.of("--rules"), Set.of("--json"));
        if (args.help()) {
            out.print(HELP);
            return 0;
        }
        Path rulesDir = args.get("--rules") != null ? Path.of(args.get("--rules")) : Home.folder("rules");
        RuleSet rules = RulesCheck.load(rulesDir, Clock.systemUTC(), n -> { });
        Map<String, Object> report = TestCoverage.report(rules, rulesDir.resolve("HANDBOOK-RULES.md"));
        out.print(args.flag("--json") ? Json.write(report) + "\n" : TestCoverage.markdown(report));
        return ((List<?>) report.get("uncovered")).isEmpty() && ((List<?>) report.get("problems")).isEmpty() ? 0 : 1;
    }
}
