package pm.monitor.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;
import pm.monitor.finding.Kpi;
import pm.monitor.rules.RuleSet;

/**
 * Rule tests without Java: each {@code NAME.events.ndjson} in a folder is replayed (to its last
 * event's time) and compared with {@code NAME.expected.ndjson} beside it — findings by id, rule,
 * kind, subject, at, dueAt and notify; KPI lines, if the file has any, by value. A failed
 * expectation says which finding or KPI was missing or unexpected.
 */
public final class ScenarioCheck {
    private ScenarioCheck() {
    }

    /** The outcome of one scenario file. */
    public record Outcome(Path events, int expected, int found, List<String> missing, List<String> unexpected,
                          List<String> rejected) {
        public boolean passed() {
            return missing.isEmpty() && unexpected.isEmpty() && rejected.isEmpty();
        }
    }

    public static List<Outcome> run(Path dir, RuleSet rules) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".events.ndjson")).sorted().toList();
        }
        List<Outcome> out = new ArrayList<>();
        for (Path events : files) {
            out.add(check(events, rules));
        }
        return out;
    }

    public static Outcome check(Path events, RuleSet rules) throws IOException {
        String name = events.getFileName().toString().replace(".events.ndjson", "");
        Path expectedFile = events.resolveSibling(name + ".expected.ndjson");
        Replay.Parsed parsed;
        try (BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            parsed = Replay.read(in, 1);
        }
        Replay.Result result = new Replay(rules, 1).run(parsed.inputs(), null, null);
        List<String> rejected = new ArrayList<>();
        parsed.rejections().forEach(r -> rejected.add(r.toString()));
        result.rejections().forEach(r -> rejected.add(r.toString()));
        Map<String, String> found = new TreeMap<>();
        for (Finding f : result.findings()) {
            found.put("finding " + f.id(), describe(Json.toMap(f)));
        }
        Map<String, String> expected = new TreeMap<>();
        boolean kpis = false;
        if (Files.exists(expectedFile)) {
            for (String line : Files.readAllLines(expectedFile, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) Json.parse(line);
                if (m.containsKey("kpi")) {
                    kpis = true;
                    expected.put(kpiKey(m), kpiValue(m));
                } else {
                    expected.put("finding " + m.get("id"), describe(m));
                }
            }
        }
        if (kpis) {
            for (Kpi k : result.kpis()) {
                Map<String, Object> m = Json.toMap(k);
                found.put(kpiKey(m), kpiValue(m));
            }
        }
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        expected.forEach((k, v) -> {
            String f = found.get(k);
            if (f == null) {
                missing.add(v);
            } else if (!f.equals(v)) {
                missing.add(v);
                unexpected.add(f);
            }
        });
        found.forEach((k, v) -> {
            if (!expected.containsKey(k)) {
                unexpected.add(v);
            }
        });
        return new Outcome(events, expected.size(), found.size(), missing, unexpected, rejected);
    }

    /** Writes the current output as the expectation (for a new scenario, to be reviewed by hand). */
    public static void record(Path events, RuleSet rules) throws IOException {
        String name = events.getFileName().toString().replace(".events.ndjson", "");
        Replay.Parsed parsed;
        try (BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            parsed = Replay.read(in, 1);
        }
        Replay.Result result = new Replay(rules, 1).run(parsed.inputs(), null, null);
        StringBuilder out = new StringBuilder();
        for (Finding f : result.findings()) {
            out.append(Json.line(f)).append('\n');
        }
        for (Kpi k : result.kpis()) {
            out.append(Json.line(k)).append('\n');
        }
        Files.writeString(events.resolveSibling(name + ".expected.ndjson"), out.toString(), StandardCharsets.UTF_8);
    }

    private static String describe(Map<String, Object> f) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : List.of("rule", "kind", "subject", "at", "dueAt", "notify", "id")) {
            m.put(k, f.get(k));
        }
        return m.toString();
    }

    private static String kpiKey(Map<String, Object> k) {
        return "kpi " + k.get("kpi") + " " + k.get("community") + " " + k.get("period");
    }

    private static String kpiValue(Map<String, Object> k) {
        return k.get("kpi") + " " + k.get("community") + " " + k.get("period") + " = " + k.get("numerator") + "/"
                + k.get("denominator") + (k.get("breakdown") != null ? " " + k.get("breakdown") : "");
    }
}
