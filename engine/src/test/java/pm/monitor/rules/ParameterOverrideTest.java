package pm.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.support.Scenario.received;
import static pm.monitor.support.Scenario.t;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.engine.CommunityEngine;
import pm.monitor.finding.Finding;
import pm.monitor.support.Rules;

/** parameters.conf: per-community overrides, and errors with file and line. */
class ParameterOverrideTest {

    @Test
    @DisplayName("An override for one community changes only that community's findings")
    void overrideForOneCommunity(@TempDir Path dir) throws Exception {
        Rules.copyWith(dir, Map.of());
        Files.writeString(dir.resolve("parameters.conf"), Files.readString(dir.resolve("parameters.conf"))
                + "\n[community C2]\ncomplaint.contact-2h.limit = 3h\n");
        RuleSet rules = RuleBook.load(dir, Clock.systemUTC());
        String complaint = received("T1", "2026-03-02T09:00:00+08:00",
                "\"kind\":\"complaint\",\"channel\":\"app\",\"household\":\"1-1-101\",\"category\":\"service\"");
        pm.monitor.support.Scenario c001 = new pm.monitor.support.Scenario(rules).given(complaint)
                .clockAt("2026-03-02T13:00:00+08:00");
        assertEquals(t("2026-03-02T11:00:00+08:00"), c001.only("complaint.contact-2h", "violation").dueAt(),
                "C001 keeps the default 2 h");
        List<Finding> c2 = new java.util.ArrayList<>();
        CommunityEngine engine = new CommunityEngine("C2", rules, c2::add);
        engine.accept(read(complaint.replace("\"type\"", "\"id\":\"x\",\"community\":\"C2\",\"type\"")));
        engine.advanceTo(t("2026-03-02T13:00:00+08:00"), true);
        assertEquals(t("2026-03-02T12:00:00+08:00"), c2.stream().filter(f -> f.rule().equals("complaint.contact-2h")
                && f.kind().equals("violation")).findFirst().orElseThrow().dueAt(), "C2 has 3 h");
    }

    @Test
    @DisplayName("A parameter that does not exist, or a value of the wrong type or range, is an error with file and line")
    void errorsNameFileAndLine(@TempDir Path dir) throws Exception {
        Rules.copyWith(dir, Map.of("complaint.contact-2h.limit", "2 hours", "kpi.timeliness.target", "190%"));
        Files.writeString(dir.resolve("parameters.conf"), Files.readString(dir.resolve("parameters.conf"))
                + "\n[community C9]\ncomplaint.contact-2h.limt = 2h\n");
        List<Problem> problems = RuleBook.validate(dir);
        List<String> text = problems.stream().map(Problem::toString).toList();
        String conf = Files.readString(dir.resolve("parameters.conf"));
        int limitLine = lineOf(conf, "complaint.contact-2h.limit : limit = 2 hours");
        int targetLine = lineOf(conf, "kpi.timeliness.target : percent = 190%");
        int typoLine = lineOf(conf, "complaint.contact-2h.limt = 2h");
        assertTrue(text.contains("parameters.conf:" + limitLine + ": complaint.contact-2h.limit: expected a limit like 2h, 30min, 3d, 2wd or same day, got \"2 hours\""), text.toString());
        assertTrue(text.contains("parameters.conf:" + targetLine + ": kpi.timeliness.target: expected a percentage from 0% to 100%, like 90%, got \"190%\""), text.toString());
        assertTrue(text.contains("parameters.conf:" + typoLine + ": no parameter named complaint.contact-2h.limt (did you mean complaint.contact-2h.limit?) (declare it in the top section first)"), text.toString());
    }

    @Test
    @DisplayName("A DRL error names its file and line")
    void drlErrorNamesFileAndLine(@TempDir Path dir) throws Exception {
        Rules.copyWith(dir, Map.of());
        Path drl = dir.resolve("telephone/rings.drl");
        String text = Files.readString(drl).replace("$c : CallAnswered( rings >", "$c : CallAnswered( line == , rings >");
        Files.writeString(drl, text);
        List<Problem> problems = RuleBook.validate(dir);
        int line = lineOf(text, "$c : CallAnswered( line == , rings >");
        assertTrue(problems.stream().anyMatch(p -> p.file().equals("telephone/rings.drl") && p.line() == line),
                problems.toString());
    }

    @Test
    @DisplayName("A section for a community the events do not have is a warning at its line naming the known ones")
    void unknownCommunitySection(@TempDir Path dir) throws Exception {
        Rules.copyWith(dir, Map.of());
        Files.writeString(dir.resolve("parameters.conf"), Files.readString(dir.resolve("parameters.conf"))
                + "\n[community C0001]\ncall.three-rings.max-rings = 4\n[community C002]\ncomplaint.contact-2h.limit = 3h\n");
        String conf = Files.readString(dir.resolve("parameters.conf"));
        String[] r = RuleBookTest.cli("validate", "--rules", dir.toString(), "--events",
                "rules/scenarios/week-c0001.events.ndjson");
        assertEquals("0", r[0], r[2]);
        String note = "note: " + dir.resolve("parameters.conf").normalize() + ":" + lineOf(conf, "[community C002]")
                + ": warning: [community C002] names no known community (did you mean C0001?); known: C0001";
        assertTrue(r[2].contains(note), r[2]);
        assertTrue(!r[2].contains("[community C0001] names"), r[2]);
        // replay knows the communities of its events and says the same
        String[] replay = RuleBookTest.cli("replay", "--rules", dir.toString(), "--events",
                "rules/scenarios/week-c0001.events.ndjson", "--out", dir.resolve("out.ndjson").toString());
        assertEquals("0", replay[0], replay[2]);
        assertTrue(replay[2].contains(note), replay[2]);
    }

    private static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line with " + needle);
    }

    private static pm.monitor.event.Event read(String json) {
        List<pm.monitor.event.Event> out = new java.util.ArrayList<>();
        new pm.monitor.event.EventReader().readLine(json, 1, 1, new pm.monitor.event.EventReader.Sink() {
            @Override
            public void accept(pm.monitor.event.Event event, int line, String text) {
                out.add(event);
            }

            @Override
            public void reject(pm.monitor.event.Rejection r) {
                throw new AssertionError(r.toString());
            }
        });
        return out.get(0);
    }

    @Test
    @DisplayName("<rule>.enabled = false switches a rule off for one community: its findings go, other rules and the KPIs' make-up stay")
    void ruleSwitchedOffPerCommunity(@TempDir Path dir) throws Exception {
        Rules.copyWith(dir, Map.of());
        Files.writeString(dir.resolve("parameters.conf"), Files.readString(dir.resolve("parameters.conf"))
                + "\n[community C001]\ncomplaint.contact-2h.enabled = false\n");
        RuleSet rules = RuleBook.load(dir, Clock.systemUTC());
        String complaint = received("T1", "2026-03-02T09:00:00+08:00",
                "\"kind\":\"complaint\",\"channel\":\"phone\",\"household\":\"1-1-101\",\"category\":\"service\"");
        pm.monitor.support.Scenario off = new pm.monitor.support.Scenario(rules).given(complaint)
                .clockAt("2026-03-03T00:00:00+08:00");
        pm.monitor.support.Scenario on = new pm.monitor.support.Scenario().given(complaint)
                .clockAt("2026-03-03T00:00:00+08:00");
        assertTrue(off.findings("complaint.contact-2h").isEmpty(), off.findings().toString());
        assertEquals(2, on.findings("complaint.contact-2h").size(), "warning and violation where it is on");
        assertEquals(on.findings("complaint.verbal-reply-same-day").size(), off.findings("complaint.verbal-reply-same-day").size());
        assertEquals(1, off.findings("complaint.verbal-reply-same-day", "violation").size());
        // the ticket still counts in timeliness, judged by the rules that remain (the same-day reply, missed)
        pm.monitor.finding.Kpi k = off.engine().kpis().snapshot().stream()
                .filter(x -> x.kpi().equals("kpi.timeliness") && x.period().equals("2026-03")).findFirst().orElseThrow();
        assertEquals(0, k.numerator());
        assertEquals(1, k.denominator());
        // a switch that names no rule is an error, not a silent no-op
        Files.writeString(dir.resolve("parameters.conf"), Files.readString(dir.resolve("parameters.conf"))
                + "complaint.contact2h.enabled = false\n");
        assertTrue(RuleBook.validate(dir).stream().anyMatch(p -> p.message().contains("complaint.contact2h.enabled")),
                RuleBook.validate(dir).toString());
    }
}
