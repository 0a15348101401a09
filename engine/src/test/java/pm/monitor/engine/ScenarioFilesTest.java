package pm.monitor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.support.Rules;

/** rules/scenarios: a realistic week of one community, every rule and KPI exercised, replayed exactly. */
class ScenarioFilesTest {

    @Test
    @DisplayName("replay of every scenario file gives exactly its expected findings and KPIs")
    void scenariosPass() throws Exception {
        List<ScenarioCheck.Outcome> outcomes = ScenarioCheck.run(Rules.dir().resolve("scenarios"), Rules.real());
        assertTrue(outcomes.size() >= 1);
        for (ScenarioCheck.Outcome o : outcomes) {
            assertEquals(List.of(), o.missing(), o.events() + ": missing");
            assertEquals(List.of(), o.unexpected(), o.events() + ": unexpected");
            assertEquals(List.of(), o.rejected(), o.events() + ": rejected lines");
        }
    }

    @Test
    @DisplayName("the scenario week exercises every rule id and every KPI of the catalog")
    void everyRuleExercised() throws Exception {
        String expected = Files.readString(Rules.dir().resolve("scenarios/week-c0001.expected.ndjson"));
        Set<String> seen = new TreeSet<>();
        Matcher m = Pattern.compile("\"(?:rule|kpi)\":\"([a-z][a-z0-9.-]+)\"").matcher(expected);
        while (m.find()) {
            seen.add(m.group(1));
        }
        Set<String> missing = new TreeSet<>(pm.monitor.rules.RuleBookTest.catalogIds());
        missing.removeAll(seen);
        assertEquals(Set.of(), missing);
    }
}
