package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Json;

/**
 * Issue 19: message templates per receiver kind that an administrator edits, checked when saved.
 * A template writes the text; the code wraps it in the robot's JSON, clips it and adds the
 * @-mentions. Each refusal names the line or the variable, in Chinese and English.
 */
class TemplatesTest {
    private static final Notice LATE = SampleNotices.all().get(0);
    private static final Notice KPI = SampleNotices.all().get(1);

    private static MessageTemplates with(String key, String template) {
        return MessageTemplates.defaults().with(Map.of(key, template));
    }

    private static TemplateCheck.Problem refused(String key, String template) {
        return assertThrows(TemplateCheck.Problem.class, () -> TemplateCheck.check(key, template), template);
    }

    @Test
    @DisplayName("a saved template writes the message: the notice's names, local times and each finding's KPI figures")
    void rendersTheNoticesFields() {
        MessageTemplates t = with("email.body", """
                {{communityName}} · {{ruleName}} · {{roleName}}
                {{#findings}}
                {{#isKpi}}{{kpiName}} {{period}}：{{value}}（{{numerator}}/{{denominator}}），目标 {{target}}{{/isKpi}}
                {{/findings}}
                {{#escalated}}由{{previousRoleName}}升级（{{ackTimeout}}未确认）{{/escalated}}
                {{#ackDue}}请于 {{ackDue}} 前确认{{/ackDue}}
                {{url}}
                """);
        String text = t.render("email.body", KPI, List.of());
        assertTrue(text.startsWith("翠湖苑 · "), text);
        assertTrue(text.contains("：95.0%（19/20），目标 100.0%"), text);
        assertTrue(text.contains("由客服主管升级（30 分钟未确认）"), text);
        assertTrue(text.contains("请于 03-02 13:00 前确认"), "the acknowledge-by time in Shanghai: " + text);
        assertTrue(text.endsWith(KPI.url()), "no trailing line break: " + text);
        String late = t.render("email.body", LATE, List.of());
        assertTrue(!late.contains("升级") && !late.contains("目标"), "sections over false values show nothing: " + late);
        Map<?, ?> mail = (Map<?, ?>) Json.parse(Formats.render("email", KPI, List.of(), t));
        assertEquals(text, mail.get("text"));
        assertEquals(KPI.title(), mail.get("subject"), "the subject keeps its default");
    }

    @Test
    @DisplayName("a robot's JSON stays valid whatever the text holds, clipped to 4000 bytes, with the @-mentions after the text")
    @SuppressWarnings("unchecked")
    void robotJsonWrapsTheText() {
        String wordy = "引号\"反斜杠\\ 与 {{ruleName}}\n".repeat(1) + "{{#findings}}{{line}} {{summary}}{{summary}}{{summary}}{{/findings}}\n"
                .repeat(40);
        MessageTemplates t = MessageTemplates.defaults().with(Map.of("dingtalk.text", wordy, "wecom.markdown", wordy));
        Map<String, Object> ding = (Map<String, Object>) Json.parse(Formats.render("dingtalk", LATE, List.of("13800000009"), t));
        String text = (String) ((Map<String, Object>) ding.get("markdown")).get("text");
        assertTrue(text.startsWith("引号\"反斜杠\\ 与 "), text);
        assertTrue(text.endsWith("… (见看板)\n\n@13800000009"), "clipped, then the @-mention: " + text.substring(text.length() - 60));
        assertTrue(text.getBytes(StandardCharsets.UTF_8).length <= Formats.ROBOT_BYTES + 20, "clipped: " + text.length());
        assertEquals(List.of("13800000009"), ((Map<String, Object>) ding.get("at")).get("atMobiles"));
        Map<String, Object> wecom = (Map<String, Object>) Json.parse(Formats.render("wecom", LATE, List.of(), t));
        String content = (String) ((Map<String, Object>) wecom.get("markdown")).get("content");
        assertTrue(content.getBytes(StandardCharsets.UTF_8).length <= Formats.ROBOT_BYTES, "clipped: " + content.length());
    }

    @Test
    @DisplayName("WeCom's text form (someone @-mentioned) has its own template; the mentions are a variable too")
    @SuppressWarnings("unchecked")
    void wecomText() {
        MessageTemplates t = with("wecom.text", "{{title}}{{#mentioned}}（已提醒 {{#mentions}}{{.}}{{/mentions}}）{{/mentioned}}");
        Map<String, Object> wecom = (Map<String, Object>) Json.parse(Formats.render("wecom", LATE, List.of("13800000009"), t));
        assertEquals("text", wecom.get("msgtype"));
        assertEquals(LATE.title() + "（已提醒 13800000009）", ((Map<String, Object>) wecom.get("text")).get("content"));
        assertEquals(List.of("13800000009"), ((Map<String, Object>) wecom.get("text")).get("mentioned_mobile_list"));
    }

    @Test
    @DisplayName("a resolved notice can be told apart: the type, and resolved (false for every notice today)")
    void resolvedVariable() {
        MessageTemplates t = with("dingtalk.title", "{{#resolved}}【已恢复】{{/resolved}}{{^resolved}}【{{type}}】{{/resolved}}{{ruleName}}");
        assertTrue(t.render("dingtalk.title", LATE, List.of()).startsWith("【notice】"));
        assertEquals(false, TemplateVariables.of(LATE, List.of()).get("resolved"));
    }

    @Test
    @DisplayName("an unknown variable is refused with its line and name, and so is a finding's variable outside {{#findings}}")
    void unknownVariable() {
        TemplateCheck.Problem p = refused("email.body", "{{title}}\n正文\n{{rulename}}");
        assertTrue(p.zh().contains("第 3 行") && p.zh().contains("未知变量“rulename”") && p.zh().startsWith("邮件正文："), p.zh());
        assertTrue(p.en().contains("line 3") && p.en().contains("unknown variable \"rulename\""), p.en());
        TemplateCheck.Problem outside = refused("wecom.markdown", "{{title}} {{kpiName}}");
        assertTrue(outside.zh().contains("{{#findings}} 之外") && outside.en().contains("outside {{#findings}}"), outside.getMessage());
        TemplateCheck.Problem section = refused("email.body", "{{#urgent}}急{{/urgent}}");
        assertTrue(section.en().contains("\"urgent\""), section.getMessage());
        TemplateCheck.check("email.body", "{{#findings}}{{kpiName}} {{-index}} {{ruleName}}{{/findings}}{{title}}");
    }

    @Test
    @DisplayName("unbalanced sections and an unclosed tag are refused with the line")
    void unbalanced() {
        TemplateCheck.Problem open = refused("email.body", "{{title}}\n{{#findings}}\n{{line}}");
        assertTrue(open.zh().contains("第 2 行") && open.zh().contains("没有关闭") && open.en().contains("never closed"), open.getMessage());
        TemplateCheck.Problem crossed = refused("email.body", "{{#findings}}{{#emergency}}\n{{/findings}}{{/emergency}}");
        assertTrue(crossed.zh().contains("第 2 行") && crossed.en().contains("{{/emergency}} was expected"), crossed.getMessage());
        TemplateCheck.Problem stray = refused("email.body", "{{title}}{{/findings}}");
        assertTrue(stray.en().contains("closes no section"), stray.getMessage());
        TemplateCheck.Problem tag = refused("email.body", "{{title}}\n\n{{ruleName");
        assertTrue(tag.zh().contains("第 3 行") && tag.en().contains("never closed by"), tag.getMessage());
    }

    @Test
    @DisplayName("partials and changed delimiters are refused: a template is one text")
    void partials() {
        assertTrue(refused("email.body", "{{> header}}{{title}}").en().contains("partials"));
        assertTrue(refused("email.body", "{{=<% %>=}}<% title %>").en().contains("delimiters"));
    }

    @Test
    @DisplayName("an empty template, one that renders to nothing for a sample, and a subject of several lines are refused")
    void emptyOrMultiLine() {
        assertTrue(refused("email.body", "  \n").en().contains("empty"));
        TemplateCheck.Problem nothing = refused("dingtalk.text", "{{#addendum}}补充：{{title}}{{/addendum}}");
        assertTrue(nothing.zh().contains("渲染结果为空") && nothing.en().contains("renders to nothing"), nothing.getMessage());
        TemplateCheck.Problem lines = refused("email.subject", "{{#lines}}{{.}}\n{{/lines}}");
        assertTrue(lines.zh().contains("应为一行") && lines.en().contains("one line"), lines.getMessage());
        assertTrue(refused("webhook.body", "{{title}}").en().contains("no template \"webhook.body\""));
        assertTrue(refused("email.body", "x".repeat(TemplateCheck.MAX_CHARS + 1)).en().contains("too long"));
    }

    @Test
    @DisplayName("every default passes its own check; an empty change, or the default's text, restores the default")
    void defaultsPass() {
        MessageTemplates.DEFAULTS.forEach(TemplateCheck::check);
        MessageTemplates t = with("email.subject", "【{{communityName}}】{{ruleName}}");
        assertEquals(Map.of("email.subject", "【{{communityName}}】{{ruleName}}"), t.stored());
        Map<String, String> back = new HashMap<>();
        back.put("email.subject", null);
        assertEquals(Map.of(), t.with(back).stored());
        assertEquals(LATE.title(), t.with(Map.of("email.subject", "")).render("email.subject", LATE, List.of()));
        assertEquals(Map.of(), t.with(Map.of("email.subject", MessageTemplates.DEFAULTS.get("email.subject"))).stored(),
                "the default's own text is the default, not a saved copy of it");
    }

    @Test
    @DisplayName("a stored template that no longer passes is not used: its default is sent")
    void badStoredTemplateFallsBack() {
        MessageTemplates t = MessageTemplates.of(Map.of("email.subject", "{{gone}}", "email.body", "{{ruleName}}"));
        assertEquals(Map.of("email.body", "{{ruleName}}"), t.stored());
        assertEquals(LATE.title(), t.render("email.subject", LATE, List.of()));
    }
}
