package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import pm.monitor.access.Role;
import pm.monitor.bench.Generator;
import pm.monitor.finding.Json;
import pm.monitor.support.Browser;
import pm.monitor.support.TestServer;

/**
 * The dashboard once a token exists: the page asks for a token, exchanges it for an HttpOnly
 * session cookie, keeps nothing itself, and then shows only the communities the token allows.
 */
@Tag("browser")
class DashboardLoginBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Browser browser;
    private static TestServer server;
    private static String token;

    @BeforeAll
    static void start() {
        if (Browser.missing() != null) {
            return; // the test says why it is skipped (or fails, in CI)
        }
        browser = Browser.start();
        StringWriter generated = new StringWriter();
        new Generator(2, 3, LocalDate.of(2026, 3, 16), 5, 12, 4).write(generated);
        String[] lines = generated.toString().split("\n");
        server = TestServer.start("events");
        var r = server.post("/api/events", String.join("\n", lines));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(List.of(), TestServer.json(r).get("rejected"));
        String last = (String) ((Map<?, ?>) Json.parse(lines[lines.length - 1])).get("at");
        assertEquals(200, server.post("/api/clock", "{\"until\":\"" + last + "\"}").statusCode());
        server.drain();
        // From the first token on, the API needs one (--auth auto).
        token = server.app().access().create("quality-C0001", Role.VIEWER, List.of("C0001"), "test");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private WebElement loginForm() {
        return browser.awaitElement("form#login", WAIT);
    }

    @Test
    @DisplayName("the page asks for a token, refuses a wrong one with the server's message, and after login shows only the token's community")
    void loginThenScopedOverview() {
        Browser.require();
        browser.open(server.url("/"));
        assertTrue(server.get("/api/dashboard/overview").statusCode() == 401, "the API is closed once a token exists");

        WebElement form = loginForm();
        assertTrue(browser.all("#overview-table tbody tr").isEmpty(), "nothing shown before login");
        // a person logs in with a password; a token is pasted under "访问令牌"
        form.findElement(org.openqa.selenium.By.id("login-use-token")).click();
        form.findElement(org.openqa.selenium.By.name("token")).sendKeys("pmm_not-a-token");
        form.findElement(org.openqa.selenium.By.cssSelector("button[type=submit]")).click();
        String error = browser.await("the login error", WAIT, d -> {
            String t = browser.find("form#login .login-error").getText();
            return t.isBlank() ? null : t;
        });
        assertFalse(error.matches("\\d+"), "the server's own message, not a bare status: " + error);

        WebElement input = browser.find("form#login input[name=token]");
        assertEquals("", input.getAttribute("value"), "the field is cleared after each try");
        input.sendKeys(token);
        browser.find("form#login button[type=submit]").click();

        browser.awaitElement("#overview-table tbody tr", WAIT);
        assertTrue(browser.all("form#login").isEmpty(), "no login box once logged in");
        List<String> shown = browser.all("#overview-table tbody tr").stream().map(tr -> tr.getAttribute("data-community")).toList();
        assertEquals(List.of("C0001"), shown, "a viewer limited to C0001 sees C0001 only");
        assertFalse(String.valueOf(browser.js("return document.cookie")).contains("pmm_"), "the session cookie is HttpOnly");
        assertEquals(0L, ((Number) browser.js("return localStorage.length - (localStorage.getItem('pm.lang') == null ? 0 : 1)")).longValue(),
                "the page keeps no token in localStorage");
        assertFalse(String.valueOf(browser.js("return document.documentElement.outerHTML")).contains(token), "the token left the page");
        browser.screenshot("login-scoped-overview");
    }
}
