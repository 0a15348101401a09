package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.support.Rules;

/** docs/clauses.md is what the rules give: regenerated here, and a failure while the committed page differs. */
class ClausesDocTest {
    static final Path PAGE = Path.of("docs", "clauses.md");

    @Test
    @DisplayName("docs/clauses.md is up to date with the rules (rewritten and failing when stale: commit the new page)")
    void pageIsCurrent() throws Exception {
        String fresh = ClauseIndex.markdown(Rules.dir());
        String committed = Files.exists(PAGE) ? Files.readString(PAGE, StandardCharsets.UTF_8) : "";
        if (!fresh.equals(committed)) {
            Files.writeString(PAGE, fresh, StandardCharsets.UTF_8);
            fail("docs/clauses.md was stale and has been regenerated from rules/: review and commit it "
                    + "(or run java -jar engine/target/monitor.jar clauses --out docs/clauses.md)");
        }
    }

    @Test
    @DisplayName("every rule id the rules carry is on the page, with its clause; the handbook's quotes are found")
    void everyRuleWithItsClause() {
        var entries = ClauseIndex.entries(Rules.dir());
        Set<String> ids = new java.util.TreeSet<>();
        for (RuleInfo r : Rules.real().rules()) {
            if (r.id() != null && !r.id().isEmpty()) {
                ids.add(r.id());
            }
        }
        assertEquals(ids, entries.keySet().stream().collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
        for (RuleInfo r : Rules.real().rules()) {
            if (r.id() != null && entries.containsKey(r.id())) {
                assertEquals(r.clause(), entries.get(r.id()).clause(), r.id());
            }
        }
        assertTrue(entries.get("complaint.contact-2h").quotes().stream()
                .anyMatch(q -> q.contains("投诉处理人应在2小时内与业户联系")), "CODE 4.4.1's sentence");
        assertEquals(List.of("CODE 4.1.4", "CODE 4.5.1"), ClauseIndex.split("CODE 4.1.4, 4.5.1", Set.of("CODE", "BJ")));
        assertEquals(List.of("BJ 投诉规程 五.4", "CODE 4.8.1"), ClauseIndex.split("BJ 投诉规程 五.4; CODE 4.8.1",
                Set.of("CODE", "BJ")));
    }
}
