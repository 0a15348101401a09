package pm.monitor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.finding.Finding;
import pm.monitor.rules.RuleBook;
import pm.monitor.rules.RuleSet;
import pm.monitor.support.Rules;
import pm.monitor.support.Scenario;

/** Backtest of the written-complaint limit from 2 to 3 working days on a known scenario. */
public class BacktestTest {
    public static final String EVENTS = String.join("\n",
            // W1: written, Friday 03-06 15:00, never replied. 2wd: due Wed 03-11 00:00; 3wd: Thu 03-12 00:00.
            "{\"id\":\"1\",\"type\":\"ticket.received\",\"at\":\"2026-03-06T15:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"W1\",\"kind\":\"complaint\",\"channel\":\"written\",\"household\":\"1-1-101\",\"category\":\"service\",\"receivedBy\":\"a1\"}",
            "{\"id\":\"2\",\"type\":\"ticket.contacted\",\"at\":\"2026-03-06T15:30:00+08:00\",\"community\":\"C1\",\"ticket\":\"W1\"}",
            // W2: written, Friday 03-06 16:00, replied in writing Wed 03-11 10:00: late under 2wd, in time under 3wd.
            "{\"id\":\"3\",\"type\":\"ticket.received\",\"at\":\"2026-03-06T16:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"W2\",\"kind\":\"complaint\",\"channel\":\"written\",\"household\":\"1-1-102\",\"category\":\"service\",\"receivedBy\":\"a1\"}",
            "{\"id\":\"4\",\"type\":\"ticket.contacted\",\"at\":\"2026-03-06T16:30:00+08:00\",\"community\":\"C1\",\"ticket\":\"W2\"}",
            "{\"id\":\"5\",\"type\":\"ticket.replied\",\"at\":\"2026-03-11T10:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"W2\",\"method\":\"written\"}");

    @Test
    @DisplayName("written limit 2wd → 3wd: W2's violation disappears, W1's moves a day, each appear/disappear listed")
    void writtenLimitTwoToThreeWorkingDays(@TempDir Path dir) throws Exception {
        RuleSet three = RuleBook.load(Rules.copyWith(dir, Map.of("complaint.written-reply-2wd.limit", "3wd")), Clock.systemUTC());
        List<Replay.Input> inputs = Replay.read(new BufferedReader(new StringReader(EVENTS)), 1).inputs();
        Backtest.Result r = Backtest.run(inputs, three, Rules.real(), Scenario.t("2026-03-13T00:00:00+08:00"),
                null, null, 1, null, () -> false);
        Map<String, long[]> written = r.perRule().get("complaint.written-reply-2wd");
        assertEquals(2, written.get("violation")[0]);
        assertEquals(1, written.get("violation")[1]);
        assertEquals(2, written.get("warning")[0]);
        assertEquals(2, written.get("warning")[1]);
        assertEquals(Set("violation W1 2026-03-12T00:00:00+08:00", "warning W1 2026-03-12T00:00:00+08:00",
                "warning W2 2026-03-12T00:00:00+08:00"), describe(r.appeared(), "complaint.written-reply-2wd"));
        assertEquals(Set("violation W1 2026-03-11T00:00:00+08:00", "violation W2 2026-03-11T00:00:00+08:00",
                "warning W1 2026-03-11T00:00:00+08:00", "warning W2 2026-03-11T00:00:00+08:00"),
                describe(r.disappeared(), "complaint.written-reply-2wd"));
        assertTrue(r.kpis().stream().anyMatch(k -> k.kpi().equals("kpi.timeliness") && k.period().equals("2026-03")
                && "0/2".equals(k.beforeRatio()) && "1/2".equals(k.afterRatio())), r.kpis().toString());
    }

    @Test
    @DisplayName("Issue 18.10: per ticket, W1's findings moved (old and new at), W2's violation gone; counts per rule include moved")
    void perTicketNewGoneMoved(@TempDir Path dir) throws Exception {
        RuleSet three = RuleBook.load(Rules.copyWith(dir, Map.of("complaint.written-reply-2wd.limit", "3wd")), Clock.systemUTC());
        List<Replay.Input> inputs = Replay.read(new BufferedReader(new StringReader(EVENTS)), 1).inputs();
        Backtest.Result r = Backtest.run(inputs, three, Rules.real(), Scenario.t("2026-03-13T00:00:00+08:00"),
                null, null, new Backtest.Filter(java.util.Set.of("complaint.written-reply-2wd"), null), 1, null, () -> false);
        assertEquals(List.of(
                "C1 W1 moved warning 2026-03-09T21:45:00+08:00 -> 2026-03-10T15:45:00+08:00",
                "C1 W1 moved violation 2026-03-11T00:00:00+08:00 -> 2026-03-12T00:00:00+08:00",
                "C1 W2 moved warning 2026-03-09T22:00:00+08:00 -> 2026-03-10T16:00:00+08:00",
                "C1 W2 gone violation 2026-03-11T00:00:00+08:00 -> null"),
                r.changes().stream().map(c -> c.community() + " " + c.ticket() + " " + c.change() + " " + c.kind() + " "
                        + c.toMap().get("oldAt") + " -> " + c.toMap().get("newAt")).toList());
        // same count of violations' "change" would hide W1's move; moved is counted
        assertEquals(List.of(2L, 1L, 0L, 1L, 1L), java.util.Arrays.stream(r.changeCounts().get("complaint.written-reply-2wd")
                .get("violation")).boxed().toList());
        assertEquals(List.of(2L, 2L, 0L, 0L, 2L), java.util.Arrays.stream(r.changeCounts().get("complaint.written-reply-2wd")
                .get("warning")).boxed().toList());
        assertEquals(java.util.Set.of("complaint.written-reply-2wd"), r.perRule().keySet(), "--rule compares that rule only");
    }

    @Test
    @DisplayName("Issue 18.10: the backtest command's text and --json carry the same figures; --community filters")
    void commandTextAndJson(@TempDir Path dir) throws Exception {
        Path rules = Rules.copyWith(dir.resolve("rules"), Map.of("complaint.written-reply-2wd.limit", "3wd"));
        Path events = dir.resolve("events.ndjson");
        java.nio.file.Files.writeString(events, EVENTS + "\n");
        String[] args = {"backtest", "--events", events.toString(), "--rules", rules.toString(), "--against",
                Rules.dir().toString(), "--until", "2026-03-13T00:00:00+08:00", "--rule", "complaint.written-reply-2wd"};
        String[] text = pm.monitor.rules.RuleBookTest.cli(args);
        assertEquals("0", text[0], text[2]);
        assertTrue(text[1].contains(String.format("%-40s %-10s %8d %8d %+8d %8d %8d %8d%n", "complaint.written-reply-2wd",
                "warning", 2, 2, 0, 0, 0, 2)), text[1]);
        assertTrue(text[1].contains("4 findings changed on 2 tickets or subjects: 0 added, 1 gone, 3 moved"), text[1]);
        assertTrue(text[1].contains("  C1/W1\n"), text[1]);
        assertTrue(text[1].contains("    ~ moved   complaint.written-reply-2wd violation at 2026-03-11T00:00:00+08:00"
                + " -> 2026-03-12T00:00:00+08:00\n"), text[1]);
        assertTrue(text[1].contains("8 KPI values change (2 monthly, 2 weekly, 4 daily)\n"), text[1]);
        assertTrue(text[1].contains("  kpi.timeliness               C1       2026-03-11 null -> 1/2\n"), text[1]);
        assertTrue(text[1].contains("    - gone    complaint.written-reply-2wd violation at 2026-03-11T00:00:00+08:00\n"), text[1]);
        String[] withJson = java.util.Arrays.copyOf(args, args.length + 1);
        withJson[args.length] = "--json";
        String[] json = pm.monitor.rules.RuleBookTest.cli(withJson);
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) pm.monitor.finding.Json.parse(json[1]);
        assertEquals(List.of(0, 1, 3), List.of(((Number) m.get("added")).intValue(), ((Number) m.get("gone")).intValue(),
                ((Number) m.get("moved")).intValue()));
        assertEquals(4, ((List<?>) m.get("changes")).size());
        assertEquals(8, ((Number) m.get("kpiChanges")).intValue());
        String[] other = java.util.Arrays.copyOf(args, args.length + 2);
        other[args.length] = "--community";
        other[args.length + 1] = "C2";
        String[] none = pm.monitor.rules.RuleBookTest.cli(other);
        assertTrue(none[1].contains("0 findings changed on 0 tickets"), none[1]);
    }

    private static TreeSet<String> Set(String... s) {
        return new TreeSet<>(List.of(s));
    }

    private static TreeSet<String> describe(List<Finding> findings, String rule) {
        return findings.stream().filter(f -> f.rule().equals(rule))
                .map(f -> f.kind() + " " + f.subject() + " " + pm.monitor.calendar.Times.iso(f.dueAt(), f.zone()))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
