package pm.monitor.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * From every catalog id and clause to the rules that implement it and the tests that exercise
 * it: the coverage report analysts and auditors read ({@code coverage}, {@code GET /api/rules/coverage}).
 * The catalog is {@code HANDBOOK-RULES.md} in the rules folder; tests are the Java test sources
 * (when the checkout has them) and the scenario files.
 */
public final class Coverage {
    private Coverage() {
    }

    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z][a-z0-9.-]+)` \\|(.*)\\|\\s*$");
    private static final Pattern TEST_METHOD = Pattern.compile("@DisplayName\\(\"([^\"]*)\"\\)\\s*(?:@\\w+[^\\n]*\\s*)*void (\\w+)");

    public static List<Map<String, Object>> report(RuleSet rules, Path catalog, Path testSources) throws IOException {
        String text = Files.readString(catalog, StandardCharsets.UTF_8);
        Map<String, String> tests = new LinkedHashMap<>();
        if (testSources != null && Files.isDirectory(testSources)) {
            try (Stream<Path> s = Files.walk(testSources)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                    tests.put(testSources.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
                }
            }
        }
        Map<String, String> scenarios = new LinkedHashMap<>();
        Path scenarioDir = rules.dir().resolve("scenarios");
        if (Files.isDirectory(scenarioDir)) {
            try (Stream<Path> s = Files.list(scenarioDir)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".expected.ndjson")).sorted().toList()) {
                    scenarios.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        Matcher m = ROW.matcher(text);
        while (m.find()) {
            String id = m.group(1);
            String[] cells = m.group(2).split("\\|");
            String source = cells[cells.length - 1].trim();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", id);
            row.put("clause", source);
            List<String> implemented = new ArrayList<>();
            for (RuleInfo r : rules.rules()) {
                if (id.equals(r.id())) {
                    implemented.add(r.file() + ": " + r.name() + " [" + r.clause() + "]");
                }
            }
            if (id.startsWith("kpi.")) {
                implemented.add("engine: pm.monitor.kpi.KpiTracker (the KPI's counting)");
            }
            row.put("rules", implemented);
            TreeSet<String> testNames = new TreeSet<>();
            tests.forEach((file, src) -> {
                if (src.contains("\"" + id + "\"")) {
                    Matcher t = TEST_METHOD.matcher(src);
                    boolean any = false;
                    while (t.find()) {
                        int end = t.end();
                        int next = src.indexOf("@Test", end);
                        String body = src.substring(end, next < 0 ? src.length() : next);
                        if (body.contains("\"" + id + "\"")) {
                            testNames.add(file.replace(".java", "") + "#" + t.group(2) + " — " + t.group(1));
                            any = true;
                        }
                    }
                    if (!any) {
                        testNames.add(file.replace(".java", ""));
                    }
                }
            });
            scenarios.forEach((file, content) -> {
                if (content.contains("\"" + id + "\"")) {
                    testNames.add("rules/scenarios/" + file);
                }
            });
            row.put("tests", new ArrayList<>(testNames));
            row.put("status", implemented.isEmpty() ? "NOT IMPLEMENTED" : testNames.isEmpty() ? "NOT TESTED" : "ok");
            out.add(row);
        }
        return out;
    }

    public static String markdown(List<Map<String, Object>> report) {
        StringBuilder s = new StringBuilder("| id | clause | rules | tests | status |\n| --- | --- | --- | --- | --- |\n");
        for (Map<String, Object> r : report) {
            s.append("| `").append(r.get("id")).append("` | ").append(r.get("clause")).append(" | ")
                    .append(String.join("<br>", cast(r.get("rules")))).append(" | ")
                    .append(String.join("<br>", cast(r.get("tests")))).append(" | ").append(r.get("status")).append(" |\n");
        }
        return s.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<String> cast(Object o) {
        return (List<String>) o;
    }
}
