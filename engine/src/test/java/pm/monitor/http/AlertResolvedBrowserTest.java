package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import pm.monitor.access.Role;
import pm.monitor.support.Browser;
import pm.monitor.support.ChineseText;
import pm.monitor.support.TestServer;

/**
 * Issue 19, resolved notices, through serve: follow-ups make kpi.satisfaction of March fall
 * (0/1 at 08:00; the centre manager is told at 08:05, the project manager at 08:35) and come back
 * (6/7 = 85.7% at 08:46). The serving engines hand the recovery to the alerts, which resolve the
 * alert when it stayed back for resolve.hold (a day), as of 08:46 (event time), and tell each inbox
 * told of it once (the GM's escalation went to its digest: not told); the alert's page says 已恢复 with the time, and the
 * inbox filters by it.
 */
@Tag("browser")
class AlertResolvedBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static TestServer server;
    static String alert;
    static String admin;

    private static String followUp(String ticket, String at, boolean satisfied) {
        return "{\"id\":\"r-" + ticket + "\",\"community\":\"C001\",\"type\":\"ticket.received\",\"at\":\"" + at
                + "\",\"ticket\":\"" + ticket + "\",\"kind\":\"help\",\"channel\":\"phone\",\"receivedBy\":\"a1\"}\n"
                + "{\"id\":\"f-" + ticket + "\",\"community\":\"C001\",\"type\":\"ticket.followed_up\",\"at\":\"" + at
                + "\",\"ticket\":\"" + ticket + "\",\"satisfied\":" + satisfied + "}";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> theAlert() {
        // open until the admin's token exists, then with it
        return TestServer.json(admin == null ? server.get("/api/alerts/" + alert)
                : server.request("GET", "/api/alerts/" + alert, null, "Authorization", "Bearer " + admin));
    }

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() {
        if (Browser.missing() != null) {
            return;
        }
        server = TestServer.start("events");
        var r = server.post("/api/events", String.join("\n",
                "{\"id\":\"reg\",\"type\":\"community.registered\",\"at\":\"2026-03-01T09:00:00+08:00\",\"community\":\"C001\","
                        + "\"name\":\"阳光花园\",\"timezone\":\"Asia/Shanghai\",\"calendar\":\"cn\"}",
                followUp("F0", "2026-03-10T08:00:00+08:00", false)));
        assertEquals(3, TestServer.json(r).get("accepted"), r.body());
        assertEquals(200, server.post("/api/clock", "{\"until\":\"2026-03-10T08:10:00+08:00\"}").statusCode());
        server.drain();
        TestServer.await("the alert sent", WAIT, () -> {
            for (Map<String, Object> a : (List<Map<String, Object>>) TestServer.json(
                    server.get("/api/alerts?rule=kpi.satisfaction&role=centre_manager")).get("items")) {
                if (a.get("role").equals("centre_manager") && a.get("status").equals("sent")) {
                    alert = (String) a.get("id");
                }
            }
            return alert != null;
        });
        List<String> back = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            back.add(followUp("F" + i, "2026-03-10T08:4" + i + ":00+08:00", true));
        }
        r = server.post("/api/events", String.join("\n", back));
        assertEquals(18, TestServer.json(r).get("accepted"), r.body());
        // resolve.hold (a day): resolved when it stayed back until 03-11 08:46
        assertEquals(200, server.post("/api/clock", "{\"until\":\"2026-03-11T09:00:00+08:00\"}").statusCode());
        server.drain();
        TestServer.await("the alert resolved", WAIT, () -> "resolved".equals(theAlert().get("status")));
        admin = server.app().access().create("admin", Role.ADMIN, null, "test");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("serve resolves the KPI alert at the event time of the value back at target and tells the inbox told of it once")
    @SuppressWarnings("unchecked")
    void resolvedThroughServe() {
        Browser.require();
        Map<String, Object> a = theAlert();
        assertEquals("2026-03-10T00:46:00Z", a.get("resolvedAt"), "08:46 in Shanghai: the follow-up's time");
        // told: the centre manager's inbox at 08:05, the project manager's at 08:35 (not acknowledged)
        List<String> resolved = ((List<Map<String, Object>>) a.get("deliveries")).stream()
                .filter(d -> String.valueOf(d.get("key")).endsWith("+resolved")).map(d -> d.get("role") + " " + d.get("channel"))
                .sorted().toList();
        assertEquals(List.of("centre_manager dashboard", "project_manager dashboard"), resolved, a.toString());
    }

    @Test
    @DisplayName("the alert's page says 已恢复 and when; the inbox filtered by 已恢复 lists it")
    void pageAndInbox() {
        Browser.require();
        try (Browser browser = Browser.start()) {
            browser.phone();
            browser.open(server.url("/alerts.html#" + alert));
            browser.awaitElement("form#login #login-use-token", WAIT).click();
            browser.awaitElement("form#login input[name=token]", WAIT).sendKeys(admin);
            browser.find("form#login button[type=submit]").click();
            WebElement page = browser.awaitElement("#alert-page", WAIT);
            assertEquals(alert, page.getAttribute("data-id"));
            assertEquals("已恢复", browser.find("#alert-page .badge.status-resolved").getText());
            assertEquals("2026-03-10 08:46", browser.find("#alert-resolved-at").getText());
            String log = browser.find("#alert-log").getText();
            assertTrue(log.contains("已恢复，已通知"), log);
            String deliveries = browser.find("#alert-deliveries").getText();
            assertEquals(2, deliveries.split("恢复通知", -1).length - 1, "one resolved notice per inbox told: " + deliveries);
            ChineseText.assertChineseOnly(browser, "the resolved alert's page", "admin");
            browser.screenshot("alert-resolved-phone");

            browser.open(server.url("/#/alerts?mine=false&status=resolved"));
            browser.awaitElement("#alert-list li", WAIT);
            List<String> statuses = browser.all("#alert-list li").stream().map(li -> li.getAttribute("class")).toList();
            assertTrue(statuses.stream().allMatch(c -> c.contains("status-resolved")), statuses.toString());
            assertTrue(browser.all("#alert-list li").stream().anyMatch(li -> alert.equals(li.getAttribute("data-id"))));
            ChineseText.assertChineseOnly(browser, "the inbox of resolved alerts", "admin");
        }
    }
}
