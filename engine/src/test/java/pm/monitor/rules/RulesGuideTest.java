package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.engine.RulesCheck;
import pm.monitor.support.Rules;

/**
 * Issue 18.11: docs/rules-guide.md documents the facts and runtime calls, and its worked example
 * (docs/examples/rules) works when applied as the guide says: no Java, validate passes, its tests
 * pass and make its rules fire.
 */
public class RulesGuideTest {
    private static final Path GUIDE = Path.of("docs/rules-guide.md");
    private static final Path EXAMPLE = Path.of("docs/examples/rules");

    /** The example applied to a copy of rules/ as the guide's section 8 says. */
    public static Path applyExample(Path dir) throws Exception {
        Rules.copyWith(dir, Map.of());
        try (Stream<Path> files = Files.walk(EXAMPLE)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                String rel = EXAMPLE.relativize(p).toString();
                if (rel.equals("parameters.add.conf")) {
                    Files.writeString(dir.resolve("parameters.conf"), Files.readString(dir.resolve("parameters.conf"))
                            + Files.readString(p));
                } else {
                    Files.createDirectories(dir.resolve(rel).getParent());
                    Files.copy(p, dir.resolve(rel), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return dir;
    }

    @Test
    @DisplayName("The worked example validates (the new ids only warned as not in the catalog), and its tests pass")
    void workedExample(@TempDir Path dir) throws Exception {
        applyExample(dir);
        RulesCheck.Result r = RulesCheck.check(dir, java.util.Set.of("C0001", "C0002"), Clock.systemUTC());
        assertTrue(r.ok(), r.problems().toString());
        assertEquals(r.dryRun().rules(), r.dryRun().fired(), "the example's own tests make its rules fire in the dry run");
        List<String> warnings = r.notes().stream().map(Problem::toString).filter(n -> n.contains("warning:")).toList();
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("complaints/security-contact.drl:")
                && w.contains("id complaint.security-contact is not in the catalog")), warnings.toString());
        assertTrue(warnings.stream().noneMatch(w -> w.contains("parameter complaint.security-contact.limit")
                || w.contains("repair.building-repeat.")), "the new parameters are read: " + warnings);
        assertEquals(30, r.rules().parameters().forCommunity("C0001").limit("complaint.security-contact.limit")
                .duration().toMinutes());
        assertEquals(15, r.rules().parameters().forCommunity("C0002").limit("complaint.security-contact.limit")
                .duration().toMinutes());
        for (String rule : List.of("complaint.security-contact", "repair.building-repeat")) {
            String[] t = RuleBookTest.cli("test", "--rules", dir.toString(), "--rule", rule);
            assertEquals("0", t[0], t[1] + t[2]);
            assertTrue(t[1].matches("(?s).*\\n?[2-9] tests, 0 failed\\n$"), t[1]);
        }
        String[] cov = RuleBookTest.cli("coverage", "--rules", dir.toString(), "--json");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rules = (List<Map<String, Object>>) ((Map<String, Object>) pm.monitor.finding.Json
                .parse(cov[1])).get("rules");
        for (Map<String, Object> rule : rules) {
            if (String.valueOf(rule.get("id")).matches("complaint.security-contact|repair.building-repeat")) {
                assertTrue(!((List<?>) rule.get("firedIn")).isEmpty(), "no test fires " + rule);
            }
        }
    }

    @Test
    @DisplayName("A new rule that fails only on its own tests' events is refused by validate, at the rule")
    void dryRunTakesTheRuleTests(@TempDir Path dir) throws Exception {
        applyExample(dir);
        Path drl = dir.resolve("repairs/building-repeat.drl");
        String text = Files.readString(drl).replace("tickets.add($t.getId());", "tickets = null; tickets.add($t.getId());");
        Files.writeString(drl, text);
        RulesCheck.Result r = RulesCheck.check(dir, null, Clock.systemUTC());
        assertTrue(!r.ok());
        assertTrue(r.problems().stream().map(Problem::toString).anyMatch(p -> p.startsWith("repairs/building-repeat.drl:"
                + RuleLintsTest.lineOf(text, "rule \"repair.building-repeat\"") + ": rule \"repair.building-repeat\" fails in"
                + " the dry run on event ") && p.contains(" of tests/building-repeat.test:")), r.problems().toString());
    }

    @Test
    @DisplayName("The guide names every fact type and every runtime call a rule can use")
    void guideIsComplete() throws Exception {
        String guide = Files.readString(GUIDE);
        try (Stream<Path> facts = Files.list(Path.of("engine/src/main/java/pm/monitor/fact"))) {
            for (Path f : facts.toList()) {
                String name = f.getFileName().toString().replace(".java", "");
                if (!List.of("Tracker", "Households", "Building", "Duty", "Ticket", "Incident").contains(name)) {
                    assertTrue(guide.contains("`" + name + "`"), "the guide does not name the fact " + name);
                }
            }
        }
        for (Class<?> c : List.of(Duties.class, Findings.class, Params.class, pm.monitor.calendar.Deadlines.class)) {
            String global = Character.toLowerCase(c.getSimpleName().charAt(0)) + c.getSimpleName().substring(1);
            for (Method m : c.getDeclaredMethods()) {
                boolean forRules = Modifier.isPublic(m.getModifiers()) && !m.isSynthetic()
                        && !List.of("judgeAllDueBy", "stillOpen", "openCount", "next", "judgeUntil", "drainSettled",
                        "zone", "calendar", "enabled", "explain", "dormant").contains(m.getName()); // (the engine's, not for rules)
                if (forRules) {
                    String call = Modifier.isStatic(m.getModifiers()) ? m.getName() + "(" : global + "." + m.getName() + "(";
                    assertTrue(guide.contains(call), "the guide does not show " + call + ")");
                }
            }
        }
    }
}
