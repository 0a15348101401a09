package pm.monitor.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import pm.monitor.rules.Problem;
import pm.monitor.rules.RuleInfo;
import pm.monitor.rules.RuleSet;
import pm.monitor.rules.RuleTestFile;

/**
 * Execution coverage ({@code coverage}, {@code GET /api/rules/coverage}): the rule tests of
 * {@code tests/} and the scenarios of {@code scenarios/} (as the rule set holds them) are run,
 * and every rule that fired is recorded with the tests that made it fire — helpers included. A
 * catalog id is covered when some test makes one of its rules fire (or, for a KPI counted by
 * the engine with no rule, gives one of its findings); an id no test covers fails the report.
 */
public final class TestCoverage {
    private TestCoverage() {
    }

    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z][a-z0-9.-]+)` \\|(.*)\\|\\s*$");

    /** {@code items}: one row per catalog id; {@code rules}: every rule and the tests that fired it; {@code uncovered}. */
    public static Map<String, Object> report(RuleSet rules, Path catalog) throws IOException {
        String text = Files.readString(catalog, StandardCharsets.UTF_8);
        Map<String, RuleTests.Outcome> runs = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Map.Entry<String, String> f : rules.files().entrySet()) {
            String name = f.getKey();
            List<RuleTestFile.Test> tests = new ArrayList<>();
            if (name.startsWith("tests/") && name.endsWith(".test")) {
                tests.addAll(RuleTestFile.parse(name, f.getValue(), problems));
            } else if (name.startsWith("scenarios/") && name.endsWith(".events.ndjson")) {
                List<String> lines = f.getValue().lines().filter(l -> !l.isBlank()).toList();
                tests.add(new RuleTestFile.Test(name, "scenario", 0, lines, null, List.of(), Map.of(), false));
            }
            for (RuleTestFile.Test t : tests) {
                runs.put(name + (t.line() > 0 ? ":" + t.line() : "") + ": " + t.name(), RuleTests.run(rules, t));
            }
        }
        Map<String, Set<String>> testsOfRule = new TreeMap<>();
        Map<String, Set<String>> testsOfId = new TreeMap<>();
        runs.forEach((test, o) -> {
            o.firedRules().forEach(r -> testsOfRule.computeIfAbsent(r, k -> new TreeSet<>()).add(test));
            o.firedIds().forEach(id -> testsOfId.computeIfAbsent(id, k -> new TreeSet<>()).add(test));
        });
        List<Map<String, Object>> items = new ArrayList<>();
        List<String> uncovered = new ArrayList<>();
        Matcher m = ROW.matcher(text);
        while (m.find()) {
            String id = m.group(1);
            String[] cells = m.group(2).split("\\|");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", id);
            row.put("clause", cells[cells.length - 1].trim());
            List<String> implemented = new ArrayList<>();
            List<String> neverFired = new ArrayList<>();
            for (RuleInfo r : rules.rules()) {
                if (id.equals(r.id())) {
                    implemented.add(r.file() + ":" + r.line() + " " + r.name());
                    if (!testsOfRule.containsKey(r.name())) {
                        neverFired.add(r.name());
                    }
                }
            }
            boolean engineKpi = implemented.isEmpty() && id.startsWith("kpi.");
            if (engineKpi) {
                implemented.add("engine: pm.monitor.kpi.KpiTracker (a KPI counted and reported, no rule)");
            }
            row.put("rules", implemented);
            List<String> firedBy = new ArrayList<>(testsOfId.getOrDefault(id, Set.of()));
            row.put("tests", firedBy);
            row.put("rulesNeverFired", neverFired);
            String status = implemented.isEmpty() ? "NOT IMPLEMENTED"
                    : engineKpi ? "reported by the engine"
                    : firedBy.isEmpty() ? "NOT TESTED" : "ok";
            row.put("status", status);
            if (status.startsWith("NOT")) {
                uncovered.add(id);
            }
            items.add(row);
        }
        List<Map<String, Object>> ruleRows = new ArrayList<>();
        for (RuleInfo r : rules.rules()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("rule", r.name());
            row.put("id", r.id());
            row.put("file", r.file());
            row.put("line", r.line());
            row.put("firedIn", new ArrayList<>(testsOfRule.getOrDefault(r.name(), Set.of())));
            ruleRows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rulesVersion", rules.version());
        out.put("tests", new ArrayList<>(runs.keySet()));
        out.put("items", items);
        out.put("rules", ruleRows);
        out.put("uncovered", uncovered);
        out.put("problems", problems.stream().map(Problem::toString).toList());
        return out;
    }

    @SuppressWarnings("unchecked")
    public static String markdown(Map<String, Object> report) {
        StringBuilder s = new StringBuilder("| id | clause | rules | fired in | status |\n| --- | --- | --- | --- | --- |\n");
        for (Map<String, Object> r : (List<Map<String, Object>>) report.get("items")) {
            List<String> never = (List<String>) r.get("rulesNeverFired");
            s.append("| `").append(r.get("id")).append("` | ").append(r.get("clause")).append(" | ")
                    .append(String.join("<br>", (List<String>) r.get("rules"))).append(" | ")
                    .append(String.join("<br>", (List<String>) r.get("tests"))).append(" | ").append(r.get("status"))
                    .append(never.isEmpty() ? "" : "; never fired: " + String.join(", ", never)).append(" |\n");
        }
        List<String> uncovered = (List<String>) report.get("uncovered");
        s.append('\n').append(((List<?>) report.get("tests")).size()).append(" tests run; ")
                .append(uncovered.isEmpty() ? "every catalog id with a rule is fired by some test"
                        : uncovered.size() + " catalog ids no test makes fire: " + String.join(", ", uncovered))
                .append('\n');
        for (String p : (List<String>) report.get("problems")) {
            s.append("problem: ").append(p).append('\n');
        }
        return s.toString();
    }
}
