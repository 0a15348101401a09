package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import pm.monitor.app.Application;
import pm.monitor.app.Config;
import pm.monitor.finding.Json;
import pm.monitor.support.Browser;
import pm.monitor.support.Rules;
import pm.monitor.support.TestDatabase;

/** The page keeps its live feed across a restart of the server, with no reload. */
@Tag("browser")
class DashboardReconnectTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The page reconnects to the same address, so the restarted server must take the same port. */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Application serve(String db, int port) {
        return new Application(new Config(port, db, null, null, Path.of("target/var"), 0, Rules.dir(), Path.of("db"),
                Path.of("dashboard"), "events", 2, 16 << 20, 100, false), Clock.systemUTC()).start();
    }

    private static void post(int port, String ndjson) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/events")).POST(HttpRequest.BodyPublishers.ofString(ndjson))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    private static String missedCall(String id, String at) {
        return Json.write(Map.of("id", id, "type", "call.missed", "at", at, "community", "C1", "call", id, "line", "400"));
    }

    private static WebElement row(Browser b, String call) {
        return b.await("a row for " + call, WAIT, d -> {
            for (WebElement tr : d.findElements(By.cssSelector("#feed tbody tr"))) {
                if (tr.getText().contains(call)) {
                    return tr;
                }
            }
            return null;
        });
    }

    @Test
    @DisplayName("after the server restarts, the page reconnects by itself and shows new findings live again")
    void reconnectsAfterARestart() throws Exception {
        Browser.require();
        String db = TestDatabase.freshSchemaUrl();
        int port = freePort();
        Application app = serve(db, port);
        try (Browser b = Browser.start()) {
            post(port, missedCall("before", "2026-03-02T09:00:00+08:00"));
            b.open("http://localhost:" + port + "/#/live");
            row(b, "before");
            b.await("connected", WAIT, d -> "open".equals(b.js("return document.getElementById('live-status').dataset.state")) ? true : null);
            b.js("window.__sameDocument = true");
            long loads = ((Number) b.js("return Number(document.body.dataset.feedLoads)")).longValue();

            app.close();
            b.await("the page sees the server gone", WAIT,
                    d -> "down".equals(b.js("return document.getElementById('live-status').dataset.state")) ? true : null);
            app = serve(db, port);
            b.await("reconnected", WAIT, d -> "open".equals(b.js("return document.getElementById('live-status').dataset.state")) ? true : null);
            // On reconnecting the feed fetches what it missed; what comes after that must be pushed.
            b.await("the feed fetched again", WAIT,
                    d -> ((Number) b.js("return Number(document.body.dataset.feedLoads)")).longValue() > loads ? true : null);

            post(port, missedCall("after", "2026-03-02T10:00:00+08:00"));
            WebElement after = row(b, "after");
            assertTrue(after.getAttribute("class").contains("fresh"), "pushed by the server, not fetched");
            assertEquals(Boolean.TRUE, b.js("return window.__sameDocument === true"), "no reload");
        } finally {
            app.close();
        }
    }
}
