package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import pm.monitor.access.Role;
import pm.monitor.finding.Json;
import pm.monitor.support.Browser;
import pm.monitor.support.ChineseText;
import pm.monitor.support.TestServer;

/**
 * The alerts as views of the dashboard (issue 19.1, 19.2), in headless Chromium on a phone
 * (390 × 844): a community manager and a viewer, logged in with their tokens, get their inbox
 * (the roster, which only an administrator may read, no longer stops the page); the link of a
 * message ({@code alerts.html#<id>}) opens the alert's page after login; the manager
 * acknowledges as itself and adds a silence after seeing how many alerts it covers.
 */
@Tag("browser")
class AlertsPageBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static TestServer server;
    private static String manager;
    private static String viewer;
    private static String admin;
    private static String contactAlert;

    static String complaint(String id, String community, String ticket, String at) {
        return "{\"id\":\"" + id + "\",\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"community\":\"" + community
                + "\",\"ticket\":\"" + ticket + "\",\"kind\":\"complaint\",\"channel\":\"phone\",\"household\":\"1-1-101\","
                + "\"category\":\"environment\",\"receivedBy\":\"a1\"}";
    }

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() {
        if (Browser.missing() != null) {
            return;
        }
        server = TestServer.start("events");
        var roster = server.request("POST", "/api/roster", Json.write(Map.of("community", "C001", "role", "supervisor",
                "name", "sup <b>C001</b>", "channel", "webhook", "address", "http://127.0.0.1:9/C001")),
                "Content-Type", "application/json");
        assertEquals(201, roster.statusCode(), roster.body());
        var r = server.post("/api/events", String.join("\n",
                "{\"id\":\"r1\",\"type\":\"community.registered\",\"at\":\"2026-03-01T09:00:00+08:00\",\"community\":\"C001\","
                        + "\"name\":\"阳光花园\",\"timezone\":\"Asia/Shanghai\",\"calendar\":\"cn\"}",
                "{\"id\":\"r2\",\"type\":\"community.registered\",\"at\":\"2026-03-01T09:00:00+08:00\",\"community\":\"C002\","
                        + "\"name\":\"翠湖苑\",\"timezone\":\"Asia/Shanghai\",\"calendar\":\"cn\"}",
                complaint("a1", "C001", "T1", "2026-03-02T09:00:00+08:00"),
                complaint("a3", "C001", "T2", "2026-03-02T09:05:00+08:00"),
                complaint("b1", "C002", "U1", "2026-03-02T09:00:00+08:00"),
                "{\"id\":\"a2\",\"type\":\"ticket.flagged\",\"at\":\"2026-03-02T09:10:00+08:00\",\"community\":\"C001\","
                        + "\"ticket\":\"T1\",\"flag\":\"media\"}"));
        assertEquals(6, TestServer.json(r).get("accepted"), r.body());
        assertEquals(200, server.post("/api/clock", "{\"until\":\"2026-03-03T12:00:00+08:00\"}").statusCode());
        server.drain();
        TestServer.await("the alerts", WAIT, () -> {
            for (Map<String, Object> a : (List<Map<String, Object>>) TestServer.json(server.get("/api/alerts")).get("items")) {
                // T2's violation (T1's are folded under its major complaint)
                if (a.get("rule").equals("complaint.contact-2h") && a.get("community").equals("C001")
                        && a.get("kind").equals("violation") && a.get("status").equals("sent")) {
                    contactAlert = (String) a.get("id");
                }
            }
            return contactAlert != null;
        });
        admin = server.app().access().create("admin", Role.ADMIN, null, "test");
        manager = server.app().access().create("wang-c001", Role.MANAGER, List.of("C001"), "test");
        viewer = server.app().access().create("quality-c001", Role.VIEWER, List.of("C001"), "test");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void login(Browser browser, String token) {
        // people log in with a password; a machine's token is pasted under "访问令牌"
        browser.awaitElement("form#login #login-use-token", WAIT).click();
        WebElement input = browser.awaitElement("form#login input[name=token]", WAIT);
        input.sendKeys(token);
        browser.find("form#login button[type=submit]").click();
    }

    private static void noSidewaysScroll(Browser browser, String where) {
        Number wide = (Number) browser.js("return document.documentElement.scrollWidth");
        assertTrue(wide.intValue() <= 390, where + " is " + wide + " px wide on a 390 px phone");
    }

    /** Issue 19.6/19.8: no English inside the Chinese page; the tokens' names are ids. */
    private static void chineseOnly(Browser browser, String where) {
        // the admin token's name is shown as who is logged in: an id, like the others
        ChineseText.assertChineseOnly(browser, where, "wang-c001", "quality-c001", "admin");
    }

    @Test
    @DisplayName("a manager on a phone: the message link opens the alert after login, acknowledged as the manager, then a silence with its preview")
    void managerFromMessageToAcknowledgement() {
        Browser.require();
        try (Browser browser = Browser.start()) {
            browser.phone();
            browser.open(server.url("/alerts.html#" + contactAlert));
            login(browser, manager);
            WebElement page = browser.awaitElement("#alert-page", WAIT);
            assertEquals(contactAlert, page.getAttribute("data-id"));
            String heading = browser.find("#alert-page h2").getText();
            assertTrue(heading.contains("有效投诉2小时内联系业户") && heading.contains("阳光花园"), heading);
            noSidewaysScroll(browser, "the alert's page");
            chineseOnly(browser, "the alert's page");
            browser.screenshot("alerts-manager-phone-alert");

            browser.find("#alert-page button.ack").click();
            String acked = browser.await("acknowledged", WAIT, d -> {
                var dd = d.findElements(By.cssSelector("#alert-page .facts dd"));
                return dd.stream().map(WebElement::getText).filter(x -> x.contains("wang-c001")).findFirst().orElse(null);
            });
            assertTrue(acked.contains("已由 wang-c001 确认"), acked);
            assertEquals("wang-c001", TestServer.json(server.request("GET", "/api/alerts/" + contactAlert, null,
                    "Authorization", "Bearer " + manager)).get("ackedBy"));

            // the inbox: C001 only, and the GM's major complaint is not the manager's to acknowledge
            browser.find("#back-to-inbox").click();
            browser.awaitElement("#alert-list li", WAIT);
            List<String> communities = browser.all("#alert-list li").stream().map(li -> li.getAttribute("data-community")).toList();
            assertTrue(!communities.isEmpty() && communities.stream().allMatch("C001"::equals), communities.toString());
            assertTrue(browser.all("#alert-list li[data-rule='complaint.major']").isEmpty(), "mine: not the GM's alert");
            noSidewaysScroll(browser, "the inbox");
            chineseOnly(browser, "the inbox");
            browser.screenshot("alerts-manager-phone-inbox");

            browser.open(server.url("/#/silences?community=C001&rule=call.three-rings"));
            String preview = browser.await("the preview", WAIT, d -> {
                String x = d.findElement(By.id("s-preview")).getText();
                return x.isBlank() ? null : x;
            });
            assertTrue(preview.matches("当前有 \\d+ 条告警符合此静默"), preview);
            browser.find("#s-reason").sendKeys("电话线路检修");
            browser.find("#s-save").click();
            String silence = browser.await("the silence", WAIT, d -> {
                var li = d.findElements(By.cssSelector("#silence-list li.active"));
                return li.isEmpty() ? null : li.get(0).getText();
            });
            assertTrue(silence.contains("电话三声内接听") && silence.contains("wang-c001"), silence);
            noSidewaysScroll(browser, "the silences");
            chineseOnly(browser, "the silences");
            browser.screenshot("alerts-manager-phone-silences");
        }
    }

    @Test
    @DisplayName("a viewer on a phone sees the inbox of its community, with nothing to acknowledge")
    void viewerReadsTheInbox() {
        Browser.require();
        try (Browser browser = Browser.start()) {
            browser.phone();
            browser.open(server.url("/alerts.html"));
            login(browser, viewer);
            browser.awaitElement("#alert-list li", WAIT);
            List<String> communities = browser.all("#alert-list li").stream().map(li -> li.getAttribute("data-community")).toList();
            assertTrue(communities.stream().allMatch("C001"::equals), communities.toString());
            assertTrue(communities.size() >= 2, "the viewer reads every alert of C001: " + communities);
            assertTrue(browser.all("button.ack").isEmpty(), "a viewer acknowledges nothing");
            assertFalse(browser.all("#nav-alerts").isEmpty());
            assertTrue(browser.all("#nav-roster").isEmpty(), "the roster is the administrators'");
            assertTrue(browser.all(".error").isEmpty(), "no error on the page");
            noSidewaysScroll(browser, "the viewer's inbox");
            browser.screenshot("alerts-viewer-phone-inbox");
            // and out again: the session ends, the page asks for a token
            browser.find("#logout").click();
            browser.awaitElement("form#login", WAIT);
        }
    }

    @Test
    @DisplayName("an administrator at 1440 x 900: every community's alerts, and the roster, its names shown as text")
    void adminOnADesktop() {
        Browser.require();
        try (Browser browser = Browser.start()) {
            browser.desktop();
            browser.open(server.url("/#/alerts?mine=false"));
            login(browser, admin);
            browser.awaitElement("#alert-list li", WAIT);
            List<String> communities = browser.all("#alert-list li").stream().map(li -> li.getAttribute("data-community"))
                    .distinct().sorted().toList();
            assertEquals(List.of("C001", "C002"), communities);
            chineseOnly(browser, "the administrator's inbox");
            browser.screenshot("alerts-admin-desktop-inbox");

            // a new alert appears by itself (the alerts' live stream), without reloading the page
            String before = browser.find(".pager .range").getText();
            browser.js("window.notReloaded = true");
            var r = server.request("POST", "/api/events", complaint("b9", "C002", "U9", "2026-03-03T12:00:00+08:00"),
                    "Content-Type", "application/json", "Authorization", "Bearer " + admin);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(200, server.request("POST", "/api/clock", "{\"until\":\"2026-03-03T15:00:00+08:00\"}",
                    "Content-Type", "application/json", "Authorization", "Bearer " + admin).statusCode());
            String after = browser.await("the inbox to grow", WAIT, d -> {
                String x = browser.find(".pager .range").getText();
                return x.equals(before) ? null : x;
            });
            assertEquals(Boolean.TRUE, browser.js("return window.notReloaded === true"), "redrawn, not reloaded: " + after);
            browser.find("#nav-roster").click();
            String row = browser.await("a roster row", WAIT, d -> {
                var li = d.findElements(By.cssSelector("#roster-list li"));
                return li.isEmpty() ? null : li.get(0).getText();
            });
            assertTrue(row.contains("sup <b>C001</b>"), "shown as text, not markup: " + row);
        }
    }
}
