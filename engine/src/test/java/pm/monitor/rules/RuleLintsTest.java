package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.support.Rules;

/** Issue 18.6: mistakes in ids that compile and run are found by validate, at their lines. */
class RuleLintsTest {

    private static List<String> problems(Path dir, List<Problem> notes) {
        List<Problem> problems = new ArrayList<>();
        RuleBook.compile(dir, problems, notes, null, Clock.systemUTC());
        return problems.stream().map(Problem::toString).toList();
    }

    @Test
    @DisplayName("A misspelt @id on a helper rule (its meet closes nothing) is an error at the rule")
    void misspeltHelperId(@TempDir Path dir) throws Exception {
        Rules.copyWith(dir, Map.of());
        Path drl = dir.resolve("repairs/callback.drl");
        String text = Files.readString(drl).replace("rule \"repair.callback: met by the call back\"\n    @id(\"repair.callback\")",
                "rule \"repair.callback: met by the call back\"\n    @id(\"repair.calback\")");
        Files.writeString(drl, text);
        List<String> p = problems(dir, new ArrayList<>());
        assertTrue(p.contains("repairs/callback.drl:" + lineOf(text, "rule \"repair.callback: met by the call back\"")
                + ": rule \"repair.callback: met by the call back\": @id(\"repair.calback\") opens no duty (no rule with this"
                + " id calls duties.open), so its duties.meet closes nothing (did you mean repair.callback?) (此 @id 没有打开任何职责)"),
                p.toString());
    }

    @Test
    @DisplayName("Deleting the opening rule of a duty makes its helpers errors")
    void openingRuleDeleted(@TempDir Path dir) throws Exception {
        Rules.copyWith(dir, Map.of());
        Path drl = dir.resolve("repairs/callback.drl");
        String text = Files.readString(drl);
        int from = text.indexOf("rule \"repair.callback\"");
        int to = text.indexOf("end\n", from) + 4;
        Files.writeString(drl, text.substring(0, from) + text.substring(to));
        List<String> p = problems(dir, new ArrayList<>());
        assertTrue(p.stream().anyMatch(s -> s.contains("rule \"repair.callback: met by the call back\": @id(\"repair.callback\")"
                + " opens no duty")), p.toString());
    }

    @Test
    @DisplayName("The same rules copied under another package are an error at the copy")
    void copiedUnderAnotherPackage(@TempDir Path dir) throws Exception {
        Rules.copyWith(dir, Map.of());
        String text = Files.readString(dir.resolve("repairs/callback.drl")).replace("package repairs;", "package repairs2;");
        Files.writeString(dir.resolve("repairs/callback-copy.drl"), text);
        List<String> p = problems(dir, new ArrayList<>());
        int line = lineOf(text, "rule \"repair.callback\"");
        // files in path order: the one read second is named as the copy
        assertTrue(p.contains("repairs/callback.drl:" + line + ": rule \"repair.callback\" is also in package repairs2"
                + " (repairs/callback-copy.drl:" + line + "): both would fire and every finding come twice; remove the copy"
                + " or rename it (规则重名)"), p.toString());
    }

    @Test
    @DisplayName("One id's rules spread over two packages (renamed, not copied) are a warning at the second package")
    void oneIdInTwoPackages(@TempDir Path dir) throws Exception {
        Rules.copyWith(dir, Map.of());
        String text = Files.readString(dir.resolve("repairs/callback.drl")).replace("package repairs;", "package other;")
                .replace("rule \"repair.callback: met by the call back\"", "rule \"repair.callback: also met\"");
        int from = text.indexOf("rule \"repair.callback\"");
        text = text.substring(0, from) + text.substring(text.indexOf("end\n", from) + 4);
        Files.writeString(dir.resolve("repairs/other.drl"), text);
        List<Problem> notes = new ArrayList<>();
        List<String> p = problems(dir, notes);
        assertTrue(p.isEmpty(), p.toString());
        String helper = text;
        assertTrue(notes.stream().map(Problem::toString).anyMatch(n -> n.equals("repairs/other.drl:"
                + lineOf(helper, "rule \"repair.callback: also met\"") + ": warning: @id(\"repair.callback\") is also used in"
                + " package repairs (repairs/callback.drl:19): one id's rules belong together (同一 id 分布在多个包)")
                || n.startsWith("repairs/callback.drl:") && n.contains("is also used in package other")), notes.toString());
    }

    @Test
    @DisplayName("A @clause naming no handbook is an error; an id not in the catalog is a warning; --json carries both with lines")
    void clauseAndCatalog(@TempDir Path dir) throws Exception {
        Rules.copyWith(dir, Map.of());
        Path drl = dir.resolve("telephone/rings.drl");
        String text = Files.readString(drl);
        String first = text.substring(text.indexOf("@clause(\""), text.indexOf("\")", text.indexOf("@clause(\"")) + 2);
        text = text.replaceFirst(java.util.regex.Pattern.quote(first), "@clause(\"XYZ 9.9\")");
        Files.writeString(drl, text);
        int clauseLine = lineOf(text, "@clause(\"XYZ 9.9\")") - 1;
        List<Problem> notes = new ArrayList<>();
        List<String> p = problems(dir, notes);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("telephone/rings.drl:" + clauseLine + ": rule ")
                && s.contains("@clause XYZ 9.9 names no handbook of the catalog (VK, CODE, SYS, FD, BJ)")), p.toString());

        Rules.copyWith(dir, Map.of());
        String callback = Files.readString(dir.resolve("repairs/callback.drl")).replace("\"repair.callback\"", "\"repair.call-back\"");
        Files.writeString(dir.resolve("repairs/callback.drl"), callback);
        String[] r = RuleBookTest.cli("validate", "--rules", dir.toString(), "--json");
        assertEquals("0", r[0], r[1] + r[2]);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) pm.monitor.finding.Json.parse(r[1]);
        assertEquals(true, json.get("ok"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> messages = (List<Map<String, Object>>) json.get("messages");
        assertTrue(messages.stream().anyMatch(m -> m.get("file").equals("repairs/callback.drl")
                && ((Number) m.get("line")).intValue() == lineOf(callback, "rule \"repair.call-back\"")
                && m.get("severity").equals("warning")
                && m.get("message").toString().startsWith("id repair.call-back is not in the catalog HANDBOOK-RULES.md"
                        + " (did you mean repair.callback?)")), messages.toString());
    }

    static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line with " + needle);
    }
}
