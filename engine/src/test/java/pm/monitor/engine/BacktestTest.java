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

    private static TreeSet<String> Set(String... s) {
        return new TreeSet<>(List.of(s));
    }

    private static TreeSet<String> describe(List<Finding> findings, String rule) {
        return findings.stream().filter(f -> f.rule().equals(rule))
                .map(f -> f.kind() + " " + f.subject() + " " + pm.monitor.calendar.Times.iso(f.dueAt(), f.zone()))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
