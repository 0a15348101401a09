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
import pm.monitor.engine.RulesCheck;
import pm.monitor.report.Labels;
import pm.monitor.support.Rules;

/** Issue 18 (rule metadata in one place): a rule's Chinese and English names live in its DRL. */
class RuleNamesTest {

    @Test
    @DisplayName("A new rule's @zh/@en names reach the labels the dashboard and reports use, without a Java change")
    void newRuleIsNamed(@TempDir Path dir) throws Exception {
        RulesGuideTest.applyExample(dir);
        RuleSet rules = RulesCheck.load(dir, Clock.systemUTC(), n -> { });
        assertEquals("安全类投诉30分钟内联系业户", Labels.rule("complaint.security-contact", Labels.ZH));
        assertEquals("Three repairs in one building within 7 days", Labels.rule("repair.building-repeat", Labels.EN));
        assertEquals("同一楼栋7天内3次报修", Labels.all(Labels.ZH).get("rule").get("repair.building-repeat"));
        // the shipped names came along from Labels.java into the DRL
        assertEquals("有效投诉2小时内联系业户", Labels.rule("complaint.contact-2h", Labels.ZH));
        assertEquals("Call answered within three rings", rules.labels().get("call.three-rings")[1]);
        // a KPI's alert rule is still named after its KPI
        assertEquals("报事处理及时率低于目标", Labels.rule("kpi.timeliness", Labels.ZH));
    }

    @Test
    @DisplayName("Emergencies are marked @emergency(true) in the DRL and read by the alert settings, no Java list")
    void emergenciesFromTheDrl(@TempDir Path dir) throws Exception {
        Rules.copyWith(dir, Map.of());
        Path callback = dir.resolve("repairs/callback.drl");
        Files.writeString(callback, Files.readString(callback).replace("@zh(\"维修回访\")", "@emergency(true) @zh(\"维修回访\")"));
        Path collective = dir.resolve("complaints/across-tickets.drl");
        Files.writeString(collective, Files.readString(collective).replaceFirst("\\s*@emergency\\(true\\)", ""));
        RulesCheck.load(dir, Clock.systemUTC(), n -> { });
        java.util.Set<String> emergencies = pm.monitor.alert.AlertParameters.defaults().emergencyRules();
        assertTrue(emergencies.contains("repair.callback"), emergencies.toString());
        assertTrue(!emergencies.contains("complaint.collective"), emergencies.toString());
        assertTrue(emergencies.contains("complaint.major"), emergencies.toString());
        // the setting still adds ids
        assertTrue(pm.monitor.alert.AlertParameters.of(Map.of("emergency.rules", "request.reply")).emergencyRules()
                .containsAll(List.of("request.reply", "repair.callback")));
        Rules.real(); // back to the shipped rules for the tests after this one
        assertTrue(pm.monitor.alert.AlertParameters.defaults().emergencyRules().contains("complaint.collective"));
    }

    @Test
    @DisplayName("A rule id that gives findings with no @zh/@en is a warning at its rule")
    void unnamedRuleIsAWarning(@TempDir Path dir) throws Exception {
        Rules.copyWith(dir, Map.of());
        Path drl = dir.resolve("repairs/callback.drl");
        String text = Files.readString(drl).replaceAll("(?m)^\\s*@zh\\(.*$\\n", "");
        Files.writeString(drl, text);
        List<Problem> notes = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        RuleBook.compile(dir, problems, notes, null, Clock.systemUTC());
        assertTrue(problems.isEmpty(), problems.toString());
        assertTrue(notes.stream().map(Problem::toString).anyMatch(n -> n.equals("repairs/callback.drl:"
                + RuleLintsTest.lineOf(text, "rule \"repair.callback\"") + ": warning: no rule of id repair.callback has"
                + " @zh(\"...\") @en(\"...\"): the dashboard, reports and messages will show the bare id (规则缺少中英文名称)")),
                notes.toString());
    }
}
