package pm.monitor.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.cli.Main;
import pm.monitor.finding.Json;
import pm.monitor.support.TestServer;

/**
 * The README's two ways with an export give one answer: {@code import --out} then {@code replay},
 * and {@code import --to} a running serve (on the real PostgreSQL), clock run to the same time.
 */
@Tag("server")
class ImportReplayServeTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** What one side has and the other has not, at most 20 lines, so a failure reads. */
    private static List<String> difference(java.util.SortedSet<String> replay, java.util.SortedSet<String> serve) {
        List<String> out = new java.util.ArrayList<>();
        replay.stream().filter(x -> !serve.contains(x)).limit(10).forEach(x -> out.add("< " + x));
        serve.stream().filter(x -> !replay.contains(x)).limit(10).forEach(x -> out.add("> " + x));
        return out;
    }

    private static List<String> difference(Map<String, String> replay, Map<String, String> serve) {
        TreeSet<String> a = new TreeSet<>();
        replay.forEach((k, v) -> a.add(k + "=" + v));
        TreeSet<String> b = new TreeSet<>();
        serve.forEach((k, v) -> b.add(k + "=" + v));
        return difference(a, b);
    }

    @Test
    @DisplayName("Baltimore 311: import then replay gives the same findings and KPIs as import --to serve")
    @SuppressWarnings("unchecked")
    void sameFindings() throws Exception {
        String mapping = "import/baltimore311.mapping";
        String export = CityLogsImportTest.BALTIMORE.toString();
        Path events = dir.resolve("events.ndjson");
        Path findings = dir.resolve("findings.ndjson");

        Run imported = cli("import", "--mapping", mapping, "--out", events.toString(),
                "--skipped", dir.resolve("skipped.txt").toString(), export);
        assertEquals(0, imported.code(), imported.err());
        assertTrue(imported.err().contains("rows skipped         217"), imported.err());
        List<String> lines = Files.readAllLines(events);
        assertEquals(28_954, lines.size());
        assertEquals(217, Files.readAllLines(dir.resolve("skipped.txt")).size());

        Run replayed = cli("replay", "--events", events.toString(), "--out", findings.toString());
        assertEquals(0, replayed.code(), replayed.err());
        assertTrue(replayed.err().contains("(0 rejected, 0 duplicates)"), replayed.err());
        TreeSet<String> expected = new TreeSet<>();
        TreeMap<String, String> expectedKpis = new TreeMap<>();
        for (String line : Files.readAllLines(findings)) {
            Map<String, Object> f = (Map<String, Object>) Json.parse(line);
            if (f.containsKey("rule")) {
                expected.add(f.get("id") + " " + f.get("rule") + " " + f.get("kind") + " " + f.get("subject"));
            } else {
                expectedKpis.put(f.get("kpi") + "|" + f.get("community") + "|" + f.get("period"),
                        f.get("numerator") + "/" + f.get("denominator"));
            }
        }
        assertTrue(expected.size() > 1000, "the log has findings: " + expected.size());

        String until = (String) ((Map<String, Object>) Json.parse(lines.get(lines.size() - 1))).get("at");
        try (TestServer server = TestServer.start("events")) {
            Run stored = cli("import", "--mapping", mapping, "--to", server.url(""), "--skipped",
                    dir.resolve("skipped2.txt").toString(), export);
            assertEquals(0, stored.code(), stored.err());
            assertTrue(stored.err().contains(": 28954 accepted, 0 already there, 0 refused"), stored.err());

            var clock = server.post("/api/clock", "{\"until\":\"" + until + "\"}");
            assertEquals(200, clock.statusCode(), clock.body());
            server.drain();
            TreeSet<String> live = new TreeSet<>();
            for (int offset = 0; ; offset += 1000) {
                List<Map<String, Object>> page = server.findings("offset=" + offset);
                for (Map<String, Object> f : page) {
                    live.add(f.get("id") + " " + f.get("rule") + " " + f.get("kind") + " " + f.get("subject"));
                }
                if (page.size() < 1000) {
                    break;
                }
            }
            assertEquals(List.of(), difference(expected, live), "findings of replay (<) and serve (>)");

            TreeMap<String, String> liveKpis = new TreeMap<>();
            for (Map<String, Object> k : (List<Map<String, Object>>) TestServer.json(server.get("/api/kpis"))
                    .get("items")) {
                liveKpis.put(k.get("kpi") + "|" + k.get("community") + "|" + k.get("period"),
                        k.get("numerator") + "/" + k.get("denominator"));
            }
            // The same KPIs both ways (a period a ticket left is emptied on the live board too).
            assertTrue(expectedKpis.size() > 20_000, "KPIs: " + expectedKpis.size());
            assertEquals(List.of(), difference(expectedKpis, liveKpis), "KPIs of replay (<) and serve (>)");

            // The same export again: every event is one the server already has.
            Run again = cli("import", "--mapping", mapping, "--to", server.url(""), "--skipped",
                    dir.resolve("skipped3.txt").toString(), export);
            assertTrue(again.err().contains(": 0 accepted, 28954 already there, 0 refused"), again.err());
        }
    }
}
