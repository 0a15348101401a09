package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.report.Labels;
import pm.monitor.support.Rules;

/** Who answers for each duty is written in rules/ ({@code @owner}), checked when the folder is loaded. */
class OwnersTest {
    @Test
    @DisplayName("every rule that notifies names its owner, with a role the page can name in Chinese and English")
    void everyRuleNamesItsOwner() throws IOException {
        assertEquals(List.of(), RuleBook.validate(Rules.dir()));
        for (Path drl : Files.walk(Rules.dir()).filter(p -> p.toString().endsWith(".drl")).toList()) {
            for (String line : Files.readAllLines(drl)) {
                if (line.contains("@notify(")) {
                    var m = java.util.regex.Pattern.compile("@owner\\(\"([^\"]+)\"\\)").matcher(line);
                    assertTrue(m.find(), drl + ": " + line);
                    Owner o = Owner.parse(m.group(1));
                    Map<String, String> zh = Labels.all("zh").get("role");
                    Map<String, String> en = Labels.all("en").get("role");
                    assertTrue(zh.containsKey(o.role()) && !zh.get(o.role()).equals(en.get(o.role())),
                            "role " + o.role() + " has a Chinese and an English label");
                }
            }
        }
    }

    @Test
    @DisplayName("an unknown owner source or role is refused at its line; a notifying rule without @owner is warned of")
    void missingOrWrongOwnerIsRefused(@TempDir Path dir) throws IOException {
        Rules.copyWith(dir, Map.of());
        Path drl = dir.resolve("repairs/callback.drl");
        String text = Files.readString(drl);
        Files.writeString(drl, text.replace(" @owner(\"front_desk: receivedBy\")", ""));
        Path arrival = dir.resolve("repairs/working-days.drl");
        Files.writeString(arrival, Files.readString(arrival).replace("engineering: dispatchedTo", "engineering: fixedBy"));
        Path rings = dir.resolve("telephone/rings.drl");
        Files.writeString(rings, Files.readString(rings).replaceFirst("@owner\\(\"front_desk\"\\)", "@owner(\"janitor\")"));
        List<String> problems = RuleBook.validate(dir).stream().map(Problem::toString).toList();
        // no @owner: a warning only (a version stored before owners were written must still load)
        List<Problem> notes = new java.util.ArrayList<>();
        List<Problem> errors = new java.util.ArrayList<>();
        RuleBook.compile(dir, errors, notes, null, java.time.Clock.systemUTC());
        assertTrue(notes.stream().map(Problem::toString).anyMatch(p -> p.startsWith("repairs/callback.drl:")
                && p.contains("warning") && p.contains("has @notify but no @owner")), notes.toString());
        assertTrue(problems.stream().noneMatch(p -> p.contains("no @owner")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("repairs/working-days.drl:") && p.contains("unknown source fixedBy")),
                problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("telephone/rings.drl:") && p.contains("@owner role janitor")),
                problems.toString());
    }

    @Test
    @DisplayName("an owner is a role and, optionally, the event field naming the person")
    void parsesRoleAndSource() {
        assertEquals(new Owner("front_desk", "receivedBy"), Owner.parse("front_desk: receivedBy"));
        assertEquals(new Owner("supervisor", null), Owner.parse("supervisor"));
    }
}
