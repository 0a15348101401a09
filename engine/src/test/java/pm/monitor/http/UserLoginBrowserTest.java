package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import pm.monitor.access.AccessService;
import pm.monitor.access.Role;
import pm.monitor.support.Browser;
import pm.monitor.support.TestServer;

/**
 * People log in with their user name and password (issue 19, "login a person can use"), in
 * headless Chromium on a desktop (1440 × 900) and a phone (390 × 844): an administrator, a
 * community manager and a viewer each open an alert from its message link after login, see their
 * own name, and log out to the login form again; the administrator also gets the screens for late
 * events under review and for the alert settings, in Chinese.
 */
@Tag("browser")
class UserLoginBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static TestServer server;
    private static String contactAlert;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() {
        if (Browser.missing() != null) {
            return;
        }
        server = TestServer.start("events");
        var r = server.post("/api/events", String.join("\n",
                "{\"id\":\"r1\",\"type\":\"community.registered\",\"at\":\"2026-03-01T09:00:00+08:00\",\"community\":\"C001\","
                        + "\"name\":\"阳光花园\",\"timezone\":\"Asia/Shanghai\",\"calendar\":\"cn\"}",
                AlertsPageBrowserTest.complaint("a1", "C001", "T1", "2026-03-02T09:00:00+08:00"),
                AlertsPageBrowserTest.complaint("a2", "C001", "T2", "2026-03-03T11:30:00+08:00")));
        assertEquals(3, TestServer.json(r).get("accepted"), r.body());
        assertEquals(200, server.post("/api/clock", "{\"until\":\"2026-03-03T12:00:00+08:00\"}").statusCode());
        server.drain();
        // two hours behind C001's clock, with T2 taken since: stored, flagged, and listed for review
        r = server.post("/api/events", AlertsPageBrowserTest.complaint("late1", "C001", "T9", "2026-03-03T10:00:00+08:00"));
        assertEquals(1, TestServer.json(r).get("accepted"), r.body());
        server.drain();
        TestServer.await("the alert", WAIT, () -> {
            for (Map<String, Object> a : (List<Map<String, Object>>) TestServer.json(server.get("/api/alerts")).get("items")) {
                if (a.get("rule").equals("complaint.contact-2h") && a.get("community").equals("C001")) {
                    contactAlert = (String) a.get("id");
                }
            }
            return contactAlert != null;
        });
        AccessService a = server.app().access();
        AccessService.createUser(a.users(), a.tokens(), a.audit(), "zhang.admin", "张管理员", "admin pass 001", Role.ADMIN,
                null, null, "test");
        AccessService.createUser(a.users(), a.tokens(), a.audit(), "wang.c001", "王经理", "manager pass 001", Role.MANAGER,
                List.of("C001"), List.of("supervisor"), "test");
        AccessService.createUser(a.users(), a.tokens(), a.audit(), "li.quality", "李质检", "viewer pass 001", Role.VIEWER,
                List.of("C001"), null, "test");
        a.refresh();
        assertEquals(401, server.get("/api/alerts").statusCode(), "closed once people exist");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void login(Browser b, String user, String password) {
        WebElement name = b.awaitElement("form#login input[name=user]", WAIT);
        assertTrue(name.isDisplayed(), "the login form asks for the user name first");
        name.clear();
        name.sendKeys(user);
        b.find("form#login input[name=password]").sendKeys(password);
        b.find("form#login button[type=submit]").click();
    }

    /** No English words outside ids and codes: Latin letters only in user names, alert ids, codes and acronyms (API, SMTP). */
    private static void chineseOnly(String text, String where, String... ids) {
        String rest = text.replaceAll("a[0-9a-f]{20}", " ").replaceAll("\\b[A-Z]+\\d*\\b", " ").replace("English", " ");
        for (String id : ids) {
            rest = rest.replace(id, " ");
        }
        Matcher m = Pattern.compile("[A-Za-z]{2,}").matcher(rest);
        List<String> words = new ArrayList<>();
        while (m.find()) {
            words.add(m.group());
        }
        assertTrue(words.isEmpty(), where + " has English in the Chinese page: " + words + "\n" + text);
    }

    private static void openFromMessageLinkAndLogOut(Browser b, String size, String user, String password, String shown) {
        b.open(server.url("/alerts.html#" + contactAlert));
        login(b, user, password);
        WebElement page = b.awaitElement("#alert-page", WAIT);
        assertEquals(contactAlert, page.getAttribute("data-id"), "the message's alert, after login");
        String who = b.await("who is logged in", WAIT, d -> {
            var w = d.findElements(By.id("whoami"));
            return w.isEmpty() || w.get(0).getText().isBlank() ? null : w.get(0).getText();
        });
        assertTrue(who.contains(shown), "the header names the person: " + who);
        assertTrue(b.all("form#login").isEmpty(), "no login form once logged in");
        assertFalse(String.valueOf(b.js("return document.cookie")).contains("pms_"), "the session cookie is HttpOnly");
        assertFalse(String.valueOf(b.js("return document.documentElement.outerHTML")).contains(password), "the password left the page");
        b.screenshot("user-login-" + user + "-" + size + "-alert");
    }

    private static void logOut(Browser b, String size, String user) {
        b.find("#logout").click();
        WebElement form = b.awaitElement("form#login", WAIT);
        assertTrue(form.findElement(By.name("user")).isDisplayed(), "asked to log in again");
        assertTrue(b.all("#whoami").isEmpty() || b.find("#whoami").getText().isBlank(), "nobody is shown as logged in");
        chineseOnly(form.getText(), "the login form");
        b.screenshot("user-login-" + user + "-" + size + "-logged-out");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"desktop", "phone"})
    @DisplayName("an administrator: a wrong password is refused in Chinese; the message link opens the alert after login; late events and alert settings in Chinese; logout")
    void admin(String size) {
        Browser.require();
        try (Browser b = Browser.start(size)) {
            b.open(server.url("/alerts.html#" + contactAlert));
            login(b, "zhang.admin", "not my password");
            String error = b.await("the login error", WAIT, d -> {
                String t = d.findElement(By.cssSelector("form#login .login-error")).getText();
                return t.isBlank() ? null : t;
            });
            assertEquals("用户名或密码错误", error);
            assertEquals("", b.find("form#login input[name=password]").getAttribute("value"), "the password field is cleared");
            b.find("form#login input[name=password]").sendKeys("admin pass 001");
            b.find("form#login button[type=submit]").click();
            assertEquals(contactAlert, b.awaitElement("#alert-page", WAIT).getAttribute("data-id"));
            String who = b.await("who", WAIT, d -> d.findElements(By.id("whoami")).isEmpty() ? null
                    : d.findElement(By.id("whoami")).getText());
            assertTrue(who.contains("张管理员") && who.contains("管理员"), who);

            // late events under review
            b.find("#nav-review").click();
            WebElement item = b.awaitElement("#review-list li[data-id=late1]", WAIT);
            assertEquals("flagged", item.getAttribute("data-status"));
            String text = item.getText();
            assertTrue(text.contains("阳光花园") && text.contains("2 小时 00 分") && text.contains("已标记，未生效"), text);
            assertTrue(text.contains("2026-03-03 10:00:00"), "the event's local time: " + text);
            chineseOnly(String.valueOf(b.js("return document.body.innerText")), "the review screen", "late1",
                    "zhang.admin");
            b.screenshot("user-login-admin-" + size + "-review");

            // alert settings: change one, see it kept, restore it
            b.find("#nav-settings").click();
            WebElement repeat = b.awaitElement("#settings-form li[data-key='repeat.interval']", WAIT);
            assertTrue(repeat.getText().contains("同一告警的重复间隔"), repeat.getText());
            for (WebElement title : b.all("#settings-form .setting-name strong")) {
                chineseOnly(title.getText(), "a setting's name");
            }
            chineseOnly(b.find("#view .view-head").getText() + " " + b.find("#settings-save").getText(), "the settings screen");
            WebElement input = repeat.findElement(By.tagName("input"));
            b.js("arguments[0].scrollIntoView({block: 'center'})", input);
            input.clear();
            input.sendKeys("6h");
            b.find("#settings-save").click();
            b.await("saved", WAIT, d -> d.findElements(By.cssSelector(".settings-message .saved")).isEmpty() ? null : true);
            assertTrue(b.find(".settings-message .saved").getText().contains("已保存 1 项"));
            assertEquals("6h", b.find("#settings-form li[data-key='repeat.interval'] input").getAttribute("value"));
            assertTrue(b.find("#settings-form li[data-key='repeat.interval']").getAttribute("class").contains("changed"));
            b.screenshot("user-login-admin-" + size + "-settings");
            // a value the server refuses: its reason is shown, nothing is saved
            WebElement window = b.find("#settings-form li[data-key='group.window'] input");
            b.js("arguments[0].scrollIntoView({block: 'center'})", window);
            window.clear();
            window.sendKeys("soon");
            b.find("#settings-save").click();
            b.awaitElement(".settings-message .error", WAIT);
            WebElement reset = b.find("#settings-form li[data-key='repeat.interval'] button.reset");
            b.js("arguments[0].scrollIntoView({block: 'center'})", reset);
            reset.click();
            b.await("restored", WAIT, d -> d.findElements(By.cssSelector("#settings-form li.changed")).isEmpty() ? true : null);
            logOut(b, size, "admin");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"desktop", "phone"})
    @DisplayName("a community manager and a viewer: the message link opens the alert after login, their own name shown, no admin screens, logout")
    void managerAndViewer(String size) {
        Browser.require();
        for (String[] who : new String[][] {{"wang.c001", "manager pass 001", "王经理"}, {"li.quality", "viewer pass 001", "李质检"}}) {
            try (Browser b = Browser.start(size)) {
                openFromMessageLinkAndLogOut(b, size, who[0], who[1], who[2]);
                assertTrue(b.all("#nav-review").isEmpty() && b.all("#nav-settings").isEmpty(), "no admin screens for " + who[0]);
                logOut(b, size, who[0]);
            }
        }
    }
}
