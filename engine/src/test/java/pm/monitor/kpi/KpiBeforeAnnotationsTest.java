package pm.monitor.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.bench.Generator;
import pm.monitor.engine.Replay;
import pm.monitor.engine.RulesCheck;
import pm.monitor.finding.Json;
import pm.monitor.finding.Kpi;
import pm.monitor.rules.RuleBook;
import pm.monitor.rules.RuleSet;
import pm.monitor.support.Rules;

/**
 * A rules version stored before KPIs were named in the DRL ({@code @kpi}) — the version a restart
 * falls back on, or one a rollback puts back — counts its KPIs as it did then, not nothing.
 */
class KpiBeforeAnnotationsTest {

    private static List<String> kpis(RuleSet rules, String events) throws Exception {
        Replay.Parsed p = Replay.read(new BufferedReader(new StringReader(events)), 2);
        List<Kpi> kpis = new Replay(rules, 2).run(p.inputs(), null, null).kpis();
        return kpis.stream().map(Json::line).toList();
    }

    @Test
    @DisplayName("a stored version without @kpi gives the KPIs of today's annotated rules; a folder without @kpi counts none")
    void storedVersionCountsAsThen(@TempDir Path dir) throws Exception {
        StringWriter w = new StringWriter();
        new Generator(3, 20, LocalDate.of(2026, 3, 2), 4, 20, 4).write(w);
        String events = w.toString();
        SortedMap<String, String> files = new TreeMap<>(Rules.real().files());
        files.replaceAll((name, text) -> name.endsWith(".drl") ? text.replaceAll("@kpi\\(\"[^\"]*\"\\)", "") : text);
        assertTrue(files.values().stream().noneMatch(t -> t.contains("@kpi(")));

        RulesCheck.Result stored = RulesCheck.checkStored("0123456789ab", files, dir.resolve("stored"), Clock.systemUTC());
        assertTrue(stored.ok(), stored.problems().toString());
        List<String> expected = kpis(Rules.real(), events);
        assertTrue(expected.stream().anyMatch(k -> k.contains("kpi.repair-timeliness")), "duty KPIs to compare");
        assertEquals(expected, kpis(stored.rules(), events));

        // the same files as a folder: it must say its KPIs, and without @kpi the duty KPIs count nothing
        Path folder = dir.resolve("folder");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = folder.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
        RuleSet bare = RuleBook.load(folder, Clock.systemUTC());
        assertNotEquals(expected, kpis(bare, events));
    }
}
