package pm.monitor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.cli.Main;
import pm.monitor.finding.Json;

/** {@code replay} of events past the calendar's last year: findings, not exit 1, marked where a 2027 day was counted. */
class ProvisionalReplayTest {
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

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> findings(String ndjson) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : ndjson.split("\n")) {
            if (!line.isBlank()) {
                out.add((Map<String, Object>) Json.parse(line));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deadline(Map<String, Object> f) {
        Object d = ((Map<String, Object>) f.get("details")).get("deadline");
        return d == null ? Map.of() : (Map<String, Object>) d;
    }

    @Test
    @DisplayName("Twelve days of generated events from 2026-12-26 into January 2027: exit 0 with --strict, working-day deadlines into 2027 marked")
    void generatedAcrossNewYear() throws Exception {
        Path events = dir.resolve("events.ndjson");
        Run g = cli("generate", "--communities", "1", "--days", "12", "--start", "2026-12-26", "--tickets-per-day", "10",
                "--out", events.toString());
        assertEquals(0, g.code(), g.err());
        Run r = cli("replay", "--events", events.toString(), "--rules", "rules", "--strict", "--no-kpis");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("(0 rejected"), r.err());
        List<Map<String, Object>> all = findings(r.out());
        List<Map<String, Object>> marked = all.stream().filter(f -> Boolean.TRUE.equals(deadline(f).get("provisional"))).toList();
        assertFalse(marked.isEmpty(), "some working-day deadline reaches 2027");
        assertTrue(r.err().contains(marked.size() + " findings counted working days of 2027 provisionally"), r.err());
        for (Map<String, Object> f : marked) {
            assertEquals(List.of(2027), deadline(f).get("provisionalYears"), f.toString());
            assertTrue(String.valueOf(deadline(f).get("limit")).contains("working day"), f.toString());
        }
        // Every finding whose working-day count reached a 2027 day is marked, and no other.
        for (Map<String, Object> f : all) {
            Map<String, Object> d = deadline(f);
            boolean counted2027 = d.get("limit") != null && String.valueOf(d.get("limit")).contains("working day")
                    && java.time.OffsetDateTime.parse((String) d.get("dueAt")).toInstant()
                    .isAfter(Instant.parse("2026-12-31T16:00:00Z")); // the last working day counted is in 2027
            assertEquals(counted2027, Boolean.TRUE.equals(d.get("provisional")), f.toString());
        }
        assertTrue(all.stream().anyMatch(f -> String.valueOf(f.get("at")).startsWith("2027-01")),
                "findings in January 2027 too");
    }

    @Test
    @DisplayName("A written complaint of Thursday 2026-12-31: its 2-working-day reply is due at the end of Monday 2027-01-04, provisional")
    void writtenComplaintOnNewYearsEve() throws Exception {
        Path events = dir.resolve("w.ndjson");
        Files.writeString(events, String.join("\n",
                "{\"id\":\"w1\",\"type\":\"ticket.received\",\"at\":\"2026-12-31T10:00:00+08:00\",\"community\":\"C1\","
                        + "\"ticket\":\"W1\",\"kind\":\"complaint\",\"channel\":\"written\",\"household\":\"1-1-101\","
                        + "\"category\":\"service\",\"receivedBy\":\"a1\"}",
                "{\"id\":\"w2\",\"type\":\"ticket.contacted\",\"at\":\"2026-12-31T11:00:00+08:00\",\"community\":\"C1\","
                        + "\"ticket\":\"W1\",\"by\":\"s1\"}"));
        Run r = cli("replay", "--events", events.toString(), "--rules", "rules", "--strict", "--no-kpis",
                "--until", "2027-01-11T00:00:00+08:00");
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> v = findings(r.out()).stream()
                .filter(f -> "complaint.written-reply-2wd".equals(f.get("rule")) && "violation".equals(f.get("kind"))).toList();
        assertEquals(1, v.size(), r.out());
        assertEquals(Instant.parse("2027-01-04T16:00:00Z"), java.time.OffsetDateTime.parse((String) v.get(0).get("dueAt")).toInstant());
        assertEquals(true, deadline(v.get(0)).get("provisional"));
    }
}
