package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.support.Scenario.received;
import static pm.monitor.support.Scenario.t;

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

/** Issue 18.5: parameters are declared in parameters.conf with type and comment, not in Java. */
class ParameterDeclarationTest {

    private static final String COMPLAINT = received("T1", "2026-03-02T09:00:00+08:00",
            "\"kind\":\"complaint\",\"channel\":\"app\",\"household\":\"1-1-101\",\"category\":\"service\"");

    @Test
    @DisplayName("A parameter declared only in parameters.conf is read by a rule and overridden per community")
    void newParameterWithoutJava(@TempDir Path dir) throws Exception {
        Rules.copyWith(dir, Map.of());
        Path drl = dir.resolve("complaints/contact-and-reply.drl");
        Files.writeString(drl, Files.readString(drl).replace("params.limit(\"complaint.contact-2h.limit\")",
                "params.limit(\"complaint.contact-fast.limit\")"));
        String conf = Files.readString(dir.resolve("parameters.conf"));
        int sections = conf.indexOf("\n[community");
        String declaration = "\n# ours: a faster first contact, to try\ncomplaint.contact-fast.limit : limit = 1h\n";
        conf = sections < 0 ? conf + declaration : conf.substring(0, sections) + declaration + conf.substring(sections);
        Files.writeString(dir.resolve("parameters.conf"), conf + "\n[community C001]\ncomplaint.contact-fast.limit = 30min\n");
        RuleSet rules = RuleBook.load(dir, Clock.systemUTC());
        assertEquals(ParameterCatalog.Type.LIMIT, rules.parameters().type("complaint.contact-fast.limit"));
        assertEquals("ours: a faster first contact, to try",
                rules.parameters().declarations().get("complaint.contact-fast.limit").comment());
        pm.monitor.support.Scenario c001 = new pm.monitor.support.Scenario(rules).given(COMPLAINT)
                .clockAt("2026-03-02T13:00:00+08:00");
        assertEquals(t("2026-03-02T09:30:00+08:00"), c001.only("complaint.contact-2h", "violation").dueAt(),
                "C001's section overrides the new parameter");
    }

    @Test
    @DisplayName("A parameter without a type or a comment, a type in a section, an undeclared override: errors at their lines")
    void declarationErrors(@TempDir Path dir) throws Exception {
        Rules.copyWith(dir, Map.of());
        String conf = Files.readString(dir.resolve("parameters.conf"))
                + "\n# a comment\nrepair.extra.limit = 2h\n"
                + "\nrepair.silent.limit : limit = 2h\n"
                + "# a comment\nrepair.odd.limit : hours = 2h\n"
                + "[community C001]\nrepair.arrival.normal : limit = 30min\nrepair.unknown.limit = 1h\n";
        Files.writeString(dir.resolve("parameters.conf"), conf);
        List<String> text = RuleBook.validate(dir).stream().map(Problem::toString).toList();
        assertTrue(text.contains("parameters.conf:" + lineOf(conf, "repair.extra.limit = 2h")
                + ": repair.extra.limit: declare its type, e.g. repair.extra.limit : limit = 2h (limit, duration, count,"
                + " percent or bool), with a comment above it"), text.toString());
        assertTrue(text.contains("parameters.conf:" + lineOf(conf, "repair.silent.limit")
                + ": repair.silent.limit: write a comment above the declaration saying what it is and where its number"
                + " comes from (参数声明需要注释)"), text.toString());
        assertTrue(text.contains("parameters.conf:" + lineOf(conf, "repair.odd.limit")
                + ": repair.odd.limit: no type hours (limit, duration, count, percent or bool)"), text.toString());
        assertTrue(text.contains("parameters.conf:" + lineOf(conf, "repair.arrival.normal : limit = 30min")
                + ": repair.arrival.normal: a type is declared once, in the top section; a community section only"
                + " gives a value (repair.arrival.normal = ...)"), text.toString());
        assertTrue(text.stream().anyMatch(p -> p.startsWith("parameters.conf:" + lineOf(conf, "repair.unknown.limit")
                + ": no parameter named repair.unknown.limit")), text.toString());
    }

    @Test
    @DisplayName("A declared parameter no rule reads is a warning at its line; one the engine reads must be declared")
    void unusedAndEngineParameters(@TempDir Path dir) throws Exception {
        Rules.copyWith(dir, Map.of());
        String conf = Files.readString(dir.resolve("parameters.conf"))
                .replaceAll("(?m)^warning\\.at .*$", "")
                + "\n# nobody reads this\nrepair.forgotten.limit : limit = 2h\n";
        Files.writeString(dir.resolve("parameters.conf"), conf);
        List<Problem> problems = new ArrayList<>();
        List<Problem> notes = new ArrayList<>();
        RuleBook.compile(dir, problems, notes, null, Clock.systemUTC());
        assertTrue(problems.stream().map(Problem::toString).anyMatch(p -> p.equals(
                "parameters.conf: parameter warning.at is read by the engine: declare it, e.g. warning.at : percent = ...")),
                problems.toString());
        assertTrue(notes.stream().map(Problem::toString).anyMatch(n -> n.startsWith("parameters.conf:"
                + lineOf(conf, "repair.forgotten.limit") + ": warning: parameter repair.forgotten.limit is declared but"
                + " no rule reads it")), notes.toString());
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
