package pm.monitor.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pm.monitor.finding.Json;
import pm.monitor.rules.Coverage;
import pm.monitor.rules.RuleBook;
import pm.monitor.rules.RuleSet;

/** {@code coverage}: from every catalog id and clause to its rules and its tests. */
final class CoverageCommand {
    static final String HELP = """
            Usage: coverage [--rules DIR] [--tests DIR] [--json]

            For every id of the catalog (DIR/HANDBOOK-RULES.md): its handbook clause, the DRL rules
            carrying that id, and the tests that exercise it (test methods under --tests, default
            engine/src/test/java of the checkout, and the scenario files). Exit code 1 if an id is
            not implemented or not tested.
            """;

    private final PrintStream out;

    CoverageCommand(PrintStream out) {
        this.out = out;
    }

    int run(String[] argv) throws Exception {
        Args args = new Args(argv, 0, Set.of("--rules", "--tests"), Set.of("--json"));
        if (args.help()) {
            out.print(HELP);
            return 0;
        }
        Path rulesDir = args.get("--rules") != null ? Path.of(args.get("--rules")) : Home.folder("rules");
        Path tests = args.get("--tests") != null ? Path.of(args.get("--tests"))
                : rulesDir.toAbsolutePath().getParent().resolve("engine/src/test/java");
        RuleSet rules = RuleBook.load(rulesDir, Clock.systemUTC());
        List<Map<String, Object>> report = Coverage.report(rules, rulesDir.resolve("HANDBOOK-RULES.md"), tests);
        out.print(args.flag("--json") ? Json.write(report) + "\n" : Coverage.markdown(report));
        return report.stream().allMatch(r -> "ok".equals(r.get("status"))) ? 0 : 1;
    }
}
