package pm.monitor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.bench.Generator;
import pm.monitor.finding.Finding;
import pm.monitor.rules.RuleBook;
import pm.monitor.rules.RuleSet;
import pm.monitor.support.Rules;

/**
 * The streaming backtest (issue 21) finds what the in-memory backtest finds: the same counts per
 * rule, the same findings new, gone and moved, the same KPI changes (the company's included, made
 * from every part's communities), however many parts the file is split into.
 */
class StreamBacktestTest {

    @TempDir
    Path dir;

    /** A result without its timing, as comparable text. */
    private static String comparable(Backtest.Result r) {
        Map<String, Object> m = new LinkedHashMap<>(r.summary());
        m.remove("seconds");
        m.remove("eventsPerSecond");
        m.put("changes", r.changes().stream().map(Backtest.Change::toMap).toList());
        m.put("appeared", r.appeared().stream().map(Finding::id).toList());
        m.put("disappeared", r.disappeared().stream().map(Finding::id).toList());
        m.put("kpis", r.kpis().toString());
        return m.toString();
    }

    @Test
    @DisplayName("two limits changed: in 1, 3 or 6 parts the same result as in memory, filters too; no temporary file left")
    void sameAsInMemory() throws Exception {
        StringWriter w = new StringWriter();
        new Generator(6, 8, LocalDate.of(2026, 3, 2), 13, 15, 4).write(w);
        String ndjson = w.toString();
        RuleSet old = Rules.real();
        RuleSet next = RuleBook.load(Rules.copyWith(dir.resolve("rules"), Map.of(
                "complaint.written-reply-2wd.limit", "1wd", "complaint.contact-2h.limit", "1h")), Clock.systemUTC());
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        for (Backtest.Filter filter : List.of(Backtest.Filter.ALL,
                new Backtest.Filter(Set.of("complaint.contact-2h"), Set.of("C0002", "C0005")))) {
            Replay.Parsed parsed = Replay.read(new BufferedReader(new StringReader(ndjson)), 2);
            Backtest.Result expected = Backtest.run(parsed.inputs(), next, old, null, null, null, filter, 2, null, () -> false);
            if (filter == Backtest.Filter.ALL) {
                assertTrue(expected.changes().size() > 20 && !expected.kpis().isEmpty(), "a change with effects to compare");
                assertTrue(expected.kpis().stream().anyMatch(k -> k.community().equals("*")), "company KPIs change too");
            }
            for (int parts : new int[] {1, 3, 6}) {
                StreamBacktest.Outcome o = new StreamBacktest(next, old, 2, tmp).run(
                        new BufferedReader(new StringReader(ndjson)), parts * EventSpill.BUCKET_BYTES - 1, null, null, null,
                        filter, null);
                assertEquals(comparable(expected), comparable(o.result()), parts + " parts, " + filter);
                assertEquals(6, o.communities().size());
            }
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count(), "nothing left in the temporary folder");
        }
    }
}
