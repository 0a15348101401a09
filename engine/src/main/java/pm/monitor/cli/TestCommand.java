package pm.monitor.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import pm.monitor.engine.RuleTests;
import pm.monitor.engine.ScenarioCheck;
import pm.monitor.engine.RulesCheck;
import pm.monitor.finding.Json;
import pm.monitor.rules.Problem;
import pm.monitor.rules.RuleSet;
import pm.monitor.rules.RuleTestFile;
import pm.monitor.rules.RulesException;

/**
 * {@code test}: the hand-written rule tests of {@code rules/tests/*.test} (timed events, an
 * evaluation time, the expected findings of named rules), then the recorded whole-output
 * scenarios of {@code rules/scenarios/} as regression files.
 */
final class TestCommand {
    static final String HELP = """
            Usage: test [--rules DIR] [--tests DIR] [--run REGEX] [--rule ID] [--json] [--junit FILE]
                        [--scenarios DIR] [--record FILE]

            Runs the rule tests of every *.test file under the tests folder (default: DIR/tests),
            written by hand: events with their times, "evaluate at TIME" (the clock runs to it and
            deadlines up to it are judged), and the findings expected of the rules each test names
            ("expect RULE KIND SUBJECT [at TIME]", "expect none RULE [KIND]", "expect nothing").
            Findings of rules a test does not name are not compared. The format is in
            rules/README.md. Then replays every NAME.events.ndjson of the scenarios folder (default:
            DIR/scenarios) and compares all its findings with NAME.expected.ndjson (a recorded
            regression file). Exit code 1 if any test fails.

              --run REGEX     only the tests whose name (or FILE: name) matches REGEX
              --rule ID       only the tests that name rule ID in an expectation
                              (with --run or --rule, the scenarios are not run)
              --json          the outcomes as JSON on stdout
              --junit FILE    also write the outcomes as JUnit XML to FILE (for CI)
              --record FILE   write a scenario's expectation from the current rules (review it by hand!)
            """;

    private final PrintStream out;
    private final PrintStream err;

    TestCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) throws Exception {
        Args args = new Args(argv, 0, Set.of("--rules", "--scenarios", "--record", "--tests", "--run", "--rule", "--junit"),
                Set.of("--json"));
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
        Path testsDir = args.get("--tests") != null ? Path.of(args.get("--tests")) : rulesDir.resolve("tests");
        List<Problem> problems = new ArrayList<>();
        List<RuleTestFile.Test> tests = RuleTests.load(testsDir, problems);
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println(testsDir.resolve(p.file()) + (p.line() > 0 ? ":" + p.line() : "") + ": "
                    + p.message()));
            return 1;
        }
        Pattern run = args.get("--run") == null ? null : Pattern.compile(args.get("--run"));
        String rule = args.get("--rule");
        List<Map<String, Object>> cases = new ArrayList<>();
        int failed = 0;
        for (RuleTestFile.Test t : tests) {
            if (run != null && !run.matcher(t.name()).find() && !run.matcher(t.file() + ": " + t.name()).find()) {
                continue;
            }
            if (rule != null && !t.rules().contains(rule)) {
                continue;
            }
            RuleTests.Outcome o = RuleTests.run(rules, t);
            failed += o.passed() ? 0 : 1;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("file", "tests/" + t.file());
            c.put("line", t.line());
            c.put("test", t.name());
            c.put("passed", o.passed());
            c.put("evaluatedAt", t.evaluateAt().toString());
            c.put("missing", o.missing());
            c.put("unexpected", o.unexpected());
            c.put("errors", o.errors());
            c.put("firedRules", new ArrayList<>(o.firedRules()));
            c.put("millis", o.millis());
            cases.add(c);
        }
        Path scenarios = args.get("--scenarios") != null ? Path.of(args.get("--scenarios")) : rulesDir.resolve("scenarios");
        if (run == null && rule == null && Files.isDirectory(scenarios)) {
            for (ScenarioCheck.Outcome o : ScenarioCheck.run(scenarios, rules)) {
                failed += o.passed() ? 0 : 1;
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("file", "scenarios/" + o.events().getFileName());
                c.put("line", 0);
                c.put("test", "scenario " + o.events().getFileName().toString().replace(".events.ndjson", ""));
                c.put("passed", o.passed());
                c.put("expected", o.expected());
                c.put("missing", o.missing());
                c.put("unexpected", o.unexpected());
                c.put("errors", o.rejected().stream().map(r -> "rejected " + r).toList());
                cases.add(c);
            }
        }
        if (args.get("--junit") != null) {
            Files.writeString(Path.of(args.get("--junit")), junit(cases), StandardCharsets.UTF_8);
        }
        if (args.flag("--json")) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("rulesVersion", rules.version());
            all.put("tests", cases.size());
            all.put("failed", failed);
            all.put("cases", cases);
            out.println(Json.write(all));
        } else {
            text(cases, failed);
        }
        return failed == 0 ? 0 : 1;
    }

    private void text(List<Map<String, Object>> cases, int failed) {
        for (Map<String, Object> c : cases) {
            boolean passed = (Boolean) c.get("passed");
            out.printf("%s %s%s: %s%n", passed ? "PASS" : "FAIL", c.get("file"),
                    ((Integer) c.get("line")) > 0 ? ":" + c.get("line") : "", c.get("test"));
            if (!passed) {
                list(c, "missing", "missing   ");
                list(c, "unexpected", "unexpected");
                list(c, "errors", "error     ");
            }
        }
        out.printf("%d tests, %d failed%n", cases.size(), failed);
    }

    @SuppressWarnings("unchecked")
    private void list(Map<String, Object> c, String key, String label) {
        ((List<String>) c.get(key)).stream().limit(50).forEach(m -> out.println("  " + label + " " + m));
    }

    /** JUnit XML as CI servers read it: one testsuite, a testcase per test, a failure with what differed. */
    @SuppressWarnings("unchecked")
    static String junit(List<Map<String, Object>> cases) {
        long failures = cases.stream().filter(c -> !(Boolean) c.get("passed")).count();
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<testsuite name=\"rules\" tests=\"").append(cases.size()).append("\" failures=\"").append(failures)
                .append("\">\n");
        for (Map<String, Object> c : cases) {
            x.append("  <testcase classname=\"").append(esc(c.get("file").toString())).append("\" name=\"")
                    .append(esc(c.get("test").toString())).append("\"");
            if (c.get("millis") != null) {
                x.append(" time=\"").append(((Number) c.get("millis")).longValue() / 1000.0).append("\"");
            }
            if ((Boolean) c.get("passed")) {
                x.append("/>\n");
                continue;
            }
            StringBuilder body = new StringBuilder();
            for (String k : List.of("missing", "unexpected", "errors")) {
                for (String m : (List<String>) c.get(k)) {
                    body.append(k).append(": ").append(m).append('\n');
                }
            }
            x.append(">\n    <failure message=\"").append(esc(((List<String>) c.get("missing")).size() + " missing, "
                    + ((List<String>) c.get("unexpected")).size() + " unexpected, "
                    + ((List<String>) c.get("errors")).size() + " errors")).append("\">")
                    .append(esc(body.toString())).append("</failure>\n  </testcase>\n");
        }
        return x.append("</testsuite>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
