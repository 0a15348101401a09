package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.support.Rules;

/** Issue 18.7: rule tests written by hand; 18.6: coverage by execution. */
class RuleTestsTest {

    private static final String RECEIVED = "event {\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:00:00+08:00\","
            + "\"ticket\":\"T1\",\"receivedBy\":\"a1\",\"kind\":\"complaint\",\"channel\":\"app\",\"household\":\"1-1-101\","
            + "\"category\":\"service\"}\n";

    private static final String FILE = """
            community C001
            event {"type":"community.registered","at":"2026-03-01T08:00:00+08:00","name":"一区","timezone":"Asia/Shanghai"}

            test late contact
            %1$s
            # the deadline is an hour after the last event: the clock runs to the evaluation time
            evaluate at 2026-03-02T12:00:00+08:00
            expect complaint.contact-2h violation T1 at 2026-03-02T11:00:00+08:00

            test wrong time expected
            %1$s
            evaluate at 2026-03-02T12:00:00+08:00
            expect complaint.contact-2h violation T1 at 2026-03-02T11:30:00+08:00

            test a quiet day
            evaluate at 2026-03-02T12:00:00+08:00
            expect nothing

            test not quiet
            %1$s
            evaluate at 2026-03-02T12:00:00+08:00
            expect nothing
            """.formatted(RECEIVED.trim());

    private static Path folder(Path dir) throws Exception {
        Rules.copyWith(dir, Map.of());
        try (var shipped = Files.list(dir.resolve("tests"))) {
            for (Path p : shipped.toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(dir.resolve("tests/contact.test"), FILE);
        return dir;
    }

    @Test
    @DisplayName("Tests pass or fail on the findings of the rules they name, with the missing and unexpected ones")
    void passAndFail(@TempDir Path dir) throws Exception {
        folder(dir);
        String[] r = RuleBookTest.cli("test", "--rules", dir.toString(), "--scenarios", dir.resolve("none").toString());
        assertEquals("1", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("PASS tests/contact.test:4: late contact\n"), r[1]);
        assertTrue(r[1].contains("FAIL tests/contact.test:10: wrong time expected\n"
                + "  missing    complaint.contact-2h violation T1 at 2026-03-02T11:30:00+08:00 (line 13)\n"
                + "  unexpected complaint.contact-2h violation T1 at 2026-03-02T11:00+08:00\n"), r[1]);
        assertTrue(r[1].contains("PASS tests/contact.test:15: a quiet day\n"), r[1]);
        assertTrue(r[1].contains("FAIL tests/contact.test:19: not quiet\n"), r[1]);
        assertTrue(r[1].contains("  unexpected complaint.contact-2h warning T1 at 2026-03-02T10:30+08:00\n"), r[1]);
        assertTrue(r[1].contains("4 tests, 2 failed\n"), r[1]);
    }

    @Test
    @DisplayName("--run and --rule pick tests; --json and --junit give the same outcomes for CI")
    void filtersAndFormats(@TempDir Path dir) throws Exception {
        folder(dir);
        String[] one = RuleBookTest.cli("test", "--rules", dir.toString(), "--run", "^late");
        assertEquals("0", one[0], one[1] + one[2]);
        assertTrue(one[1].endsWith("1 tests, 0 failed\n"), one[1]);
        String[] byRule = RuleBookTest.cli("test", "--rules", dir.toString(), "--rule", "complaint.contact-2h", "--json",
                "--junit", dir.resolve("junit.xml").toString());
        assertEquals("1", byRule[0], byRule[1] + byRule[2]);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) pm.monitor.finding.Json.parse(byRule[1]);
        assertEquals(2, ((Number) json.get("tests")).intValue(), "the two tests naming the rule");
        assertEquals(1, ((Number) json.get("failed")).intValue());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cases = (List<Map<String, Object>>) json.get("cases");
        assertEquals(List.of("late contact", "wrong time expected"), cases.stream().map(c -> c.get("test")).toList());
        assertTrue(((List<?>) cases.get(0).get("firedRules")).contains("complaint.contact-2h"), cases.toString());
        org.w3c.dom.Document xml = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(dir.resolve("junit.xml").toFile());
        assertEquals("2", xml.getDocumentElement().getAttribute("tests"));
        assertEquals("1", xml.getDocumentElement().getAttribute("failures"));
        assertEquals(1, xml.getElementsByTagName("failure").getLength());
    }

    @Test
    @DisplayName("A test without an evaluation time, or a line that is not a statement, is an error at its line")
    void mistakesInTestFiles(@TempDir Path dir) throws Exception {
        Rules.copyWith(dir, Map.of());
        Files.writeString(dir.resolve("tests/bad.test"), "test no clock\n" + RECEIVED + "expect nothing\n"
                + "test typo\nevaluate at 2026-03-02T12:00:00+08:00\nexpekt nothing\n");
        String[] r = RuleBookTest.cli("test", "--rules", dir.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains(dir.resolve("tests/bad.test") + ":1: test \"no clock\" has no \"evaluate at TIME\" line"), r[2]);
        assertTrue(r[2].contains(dir.resolve("tests/bad.test") + ":6: cannot read \"expekt nothing\""), r[2]);
    }

    @Test
    @DisplayName("coverage runs the tests: the rules each made fire, and exit 1 while a catalog id has no test that fires it")
    void coverageByExecution(@TempDir Path dir) throws Exception {
        folder(dir);
        Files.delete(dir.resolve("scenarios/week-c0001.events.ndjson"));
        Files.delete(dir.resolve("scenarios/week-c0001.expected.ndjson"));
        String[] r = RuleBookTest.cli("coverage", "--rules", dir.toString(), "--json");
        assertEquals("1", r[0], r[2]);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) pm.monitor.finding.Json.parse(r[1]);
        List<?> uncovered = (List<?>) json.get("uncovered");
        assertTrue(uncovered.contains("complaint.invalid-reply-2h"), uncovered.toString());
        assertFalse(uncovered.contains("complaint.contact-2h"), uncovered.toString());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rules = (List<Map<String, Object>>) json.get("rules");
        Map<String, Object> contact = rules.stream().filter(x -> x.get("rule").equals("complaint.contact-2h")).findFirst()
                .orElseThrow();
        assertEquals(List.of("tests/contact.test:10: wrong time expected", "tests/contact.test:19: not quiet",
                "tests/contact.test:4: late contact"), contact.get("firedIn"));
        Map<String, Object> helper = rules.stream()
                .filter(x -> x.get("rule").equals("complaint.contact-2h: classified valid")).findFirst().orElseThrow();
        assertEquals(List.of(), helper.get("firedIn"), "a helper no test makes fire is listed as such");
    }
}
