package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import pm.monitor.finding.Json;
import pm.monitor.support.Browser;
import pm.monitor.support.TestServer;

/**
 * The alert inbox page (alerts.html) in headless Chromium under the content security policy
 * every page now has (script-src 'self'): its script, a file of its own, runs and shows the
 * alerts, silences form and roster (issue 17.17).
 */
@Tag("browser")
class AlertsPageBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    @DisplayName("alerts.html works under the CSP: roles, the inbox's alert and the roster are shown")
    @SuppressWarnings("unchecked")
    void inboxUnderPolicy() {
        Browser.require();
        try (TestServer server = TestServer.start("events"); Browser browser = Browser.start()) {
            var roster = server.request("POST", "/api/roster", Json.write(Map.of("community", "C001", "role", "supervisor",
                    "name", "sup <b>C001</b>", "channel", "webhook", "address", "http://127.0.0.1:9/C001")),
                    "Content-Type", "application/json");
            assertEquals(201, roster.statusCode(), roster.body());
            var events = server.post("/api/events", "{\"id\":\"a1\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:00:00+08:00\","
                    + "\"community\":\"C001\",\"ticket\":\"T1\",\"kind\":\"complaint\",\"channel\":\"phone\","
                    + "\"household\":\"1-1-101\",\"category\":\"environment\",\"receivedBy\":\"a1\"}");
            assertEquals(1, TestServer.json(events).get("accepted"), events.body());
            assertEquals(200, server.post("/api/clock", "{\"until\":\"2026-03-03T12:00:00+08:00\"}").statusCode());
            server.drain();
            TestServer.await("an alert", WAIT,
                    () -> !((List<Object>) TestServer.json(server.get("/api/alerts")).get("items")).isEmpty());

            var page = server.get("/alerts.html");
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
            browser.open(server.url("/alerts.html"));
            browser.await("the roles from the roster API", WAIT, d -> browser.all("#role option").size() > 1 ? true : null);
            // the views redraw as the live stream and refreshes come: read the text inside the wait
            String row = browser.await("an inbox row", WAIT, d -> textOf(browser, "#inbox tr"));
            assertTrue(row.contains("C001"), row);
            String rosterRow = browser.await("a roster row", WAIT, d -> textOf(browser, "#rosterRows tr"));
            assertTrue(rosterRow.contains("sup <b>C001</b>"), "shown as text, not markup: " + rosterRow);
            assertEquals("", browser.find("#err").getText());
        }
    }

    /** The first match's text, or null while there is none (a redraw in between is asked again). */
    private static String textOf(Browser browser, String css) {
        List<WebElement> found = browser.all(css);
        return found.isEmpty() ? null : found.get(0).getText();
    }
}
