package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import pm.monitor.access.AccessService;
import pm.monitor.access.Role;
import pm.monitor.alert.MessageTemplates;
import pm.monitor.alert.TemplateVariables;
import pm.monitor.support.Browser;
import pm.monitor.support.ChineseText;
import pm.monitor.support.TestServer;

/**
 * Issue 19: an administrator edits a receiver kind's message template on the settings screen, in
 * Chinese, at 1440 × 900 and 390 × 844: the variables are listed, the preview follows the typing,
 * the template is saved and writes the next message, a broken one is refused with the line and
 * the reason, and the default comes back.
 */
@Tag("browser")
class TemplatesBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TestServer server;

    @BeforeAll
    static void start() {
        if (Browser.missing() != null) {
            return;
        }
        server = TestServer.start("events");
        AccessService a = server.app().access();
        AccessService.createUser(a.users(), a.tokens(), a.audit(), "zhang.admin", "张管理员", "admin pass 001", Role.ADMIN,
                null, null, "test");
        a.refresh();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The variable names are ids a template writes; everything else in the section is Chinese. */
    private static void chineseOnly(String text, String where) {
        List<String> ids = new ArrayList<>();
        TemplateVariables.NOTICE.forEach(v -> ids.add(v.name()));
        TemplateVariables.FINDING.forEach(v -> ids.add(v.name()));
        ids.sort((x, y) -> y.length() - x.length());
        List<String> words = ChineseText.latinWords(text, ids.toArray(String[]::new));
        assertTrue(words.isEmpty(), where + " has English in the Chinese page: " + words + "\n" + text);
    }

    private static void type(Browser b, WebElement area, String text) {
        b.js("arguments[0].scrollIntoView({block: 'center'})", area);
        area.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        area.sendKeys(text);
    }

    private static void click(Browser b, WebElement button) {
        b.js("arguments[0].scrollIntoView({block: 'center'})", button);
        button.click();
    }

    private static String previewText(Browser b, String channel, String state) {
        return b.await("the " + channel + " preview (" + state + ")", WAIT, d -> {
            var p = d.findElements(By.cssSelector(".tpl-channel[data-channel=" + channel + "] .tpl-preview[data-state=" + state + "]"));
            return p.isEmpty() ? null : p.get(0).getText();
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"desktop", "phone"})
    @DisplayName("an administrator edits the DingTalk title, sees the preview, saves it, is refused a broken text, restores the default")
    void editPreviewSaveRefuse(String size) {
        Browser.require();
        try (Browser b = Browser.start(size)) {
            b.open(server.url("/#/settings"));
            WebElement name = b.awaitElement("form#login input[name=user]", WAIT);
            name.sendKeys("zhang.admin");
            b.find("form#login input[name=password]").sendKeys("admin pass 001");
            b.find("form#login button[type=submit]").click();
            String first = previewText(b, "dingtalk", "ok");
            assertTrue(first.contains("翠湖苑"), "the sample notices rendered with the defaults: " + first);
            assertEquals(3, b.all(".tpl-channel").size(), "e-mail, WeCom, DingTalk");
            WebElement section = b.find("#templates");
            assertTrue(section.getText().contains("消息模板") && section.getText().contains("钉钉机器人"), section.getText());
            chineseOnly(section.getText(), "the message templates");
            b.js("arguments[0].open = true", b.find("#templates details.tpl-vars"));
            String vars = b.find("#templates details.tpl-vars").getText();
            assertTrue(vars.contains("{{communityName}} 小区名称") && vars.contains("{{kpiName}} 指标名称"), vars);
            chineseOnly(vars, "the list of variables");
            click(b, b.find("#to-templates"));
            b.await("scrolled to the templates", WAIT, d -> ((Number) b.js(
                    "return Math.abs(document.getElementById('templates').getBoundingClientRect().top)")).doubleValue() < 200 ? true : null);
            b.screenshot("templates-" + size + "-editor");

            WebElement title = b.find(".tpl-channel[data-channel=dingtalk] textarea[name='dingtalk.title']");
            type(b, title, "【{{communityName}}】{{ruleName}}{{#emergency}}（紧急）{{/emergency}}");
            String live = b.await("the preview of the typed title", WAIT, d -> {
                String t = d.findElement(By.cssSelector(".tpl-channel[data-channel=dingtalk] .tpl-preview")).getText();
                return t.contains("【翠湖苑】") && t.contains("（紧急）") ? t : null;
            });
            chineseOnly(live, "the preview");
            click(b, b.find(".tpl-channel[data-channel=dingtalk] .tpl-save"));
            String saved = b.await("saved", WAIT, d -> {
                var m = d.findElements(By.cssSelector(".tpl-channel[data-channel=dingtalk] .tpl-message .saved"));
                return m.isEmpty() ? null : m.get(0).getText();
            });
            assertTrue(saved.contains("模板已保存"), saved);
            assertTrue(b.find(".tpl-channel[data-channel=dingtalk] .tpl-part[data-key='dingtalk.title']").getText()
                    .contains("已修改（zhang.admin"), "who saved it");
            assertEquals("【{{communityName}}】{{ruleName}}{{#emergency}}（紧急）{{/emergency}}",
                    server.app().alerts().templates().source("dingtalk.title"), "in force for the next message");
            b.screenshot("templates-" + size + "-saved");

            WebElement text = b.find(".tpl-channel[data-channel=dingtalk] textarea[name='dingtalk.text']");
            type(b, text, "#### {{title}}\n{{#findings}}\n{{line}}\n");
            String refusal = previewText(b, "dingtalk", "error");
            assertTrue(refusal.contains("第 2 行") && refusal.contains("没有关闭"), refusal);
            click(b, b.find(".tpl-channel[data-channel=dingtalk] .tpl-save"));
            String error = b.await("the refusal", WAIT, d -> {
                var m = d.findElements(By.cssSelector(".tpl-channel[data-channel=dingtalk] .tpl-message .error"));
                return m.isEmpty() ? null : m.get(0).getText();
            });
            assertTrue(error.contains("钉钉消息正文") && error.contains("第 2 行") && error.contains("{{#findings}} 没有关闭"), error);
            chineseOnly(error, "the refusal");
            assertEquals(MessageTemplates.DEFAULTS.get("dingtalk.text"), server.app().alerts().templates().source("dingtalk.text"),
                    "nothing saved");
            b.screenshot("templates-" + size + "-refused");

            click(b, b.find(".tpl-channel[data-channel=dingtalk] .tpl-restore"));
            b.await("restored", WAIT, d -> d.findElements(By.cssSelector(".tpl-channel[data-channel=dingtalk] .tpl-message .saved"))
                    .isEmpty() ? null : true);
            assertEquals(MessageTemplates.DEFAULTS.get("dingtalk.title"), server.app().alerts().templates().source("dingtalk.title"));
            Object overflow = b.js("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertEquals(0L, ((Number) overflow).longValue(), "nothing wider than the screen");
        }
    }
}
