package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.support.TestServer;

/**
 * Every page of the dashboard folder runs under the content security policy and cannot be
 * framed; every API answer says {@code Cache-Control: no-store} (issue 17.17).
 */
@Tag("server")
class SecurityHeadersTest {
    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern INLINE_HANDLER = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);

    @Test
    @DisplayName("every static page: CSP (own scripts only, no framing), X-Frame-Options DENY, nosniff; no inline script a CSP would block")
    void pages() throws Exception {
        List<String> pages = new ArrayList<>(List.of("/"));
        try (Stream<Path> files = Files.list(Path.of("dashboard"))) {
            files.filter(f -> f.toString().endsWith(".html")).forEach(f -> pages.add("/" + f.getFileName()));
        }
        assertTrue(pages.contains("/alerts.html"), pages.toString());
        try (TestServer server = TestServer.start("events")) {
            for (String page : pages) {
                HttpResponse<String> r = server.get(page);
                assertEquals(200, r.statusCode(), page);
                String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
                assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-eval"), page + ": " + csp);
                assertTrue(csp.contains("frame-ancestors 'none'"), page + ": " + csp);
                assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null), page);
                assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), page);
                assertFalse(INLINE_SCRIPT.matcher(r.body()).find(), page + " has an inline script, which the CSP blocks");
                assertFalse(INLINE_HANDLER.matcher(r.body()).find(), page + " has an inline event handler");
            }
            for (String asset : List.of("/app.css", "/js/app.js", "/js/alerts-link.js", "/vendor/echarts/echarts.min.js")) {
                HttpResponse<String> r = server.get(asset);
                assertEquals(200, r.statusCode(), asset);
                assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), asset);
                assertNotEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""), asset + " may be cached");
            }
        }
    }

    @Test
    @DisplayName("every API answer — success, 4xx, 401, 404 — says Cache-Control: no-store and may not be framed")
    void apiAnswers() {
        try (TestServer server = TestServer.start("events")) {
            List<HttpResponse<String>> answers = new ArrayList<>();
            answers.add(server.get("/api/health"));
            answers.add(server.get("/api/findings?community=C1"));
            answers.add(server.get("/api//findings?community=C1"));
            answers.add(server.get("/api/kpis"));
            answers.add(server.get("/api/findings?limit=x"));
            answers.add(server.get("/api/dashboard/labels"));
            answers.add(server.get("/api/no-such-thing"));
            answers.add(server.post("/api/events", "not json"));
            server.app().access().create("ops", pm.monitor.access.Role.ADMIN, null, "test");
            answers.add(server.get("/api/findings"));
            answers.add(server.request("POST", "/api/login", "{\"token\":\"pmm_wrong\"}", "Content-Type", "application/json"));
            assertTrue(answers.stream().anyMatch(r -> r.statusCode() == 200));
            assertTrue(answers.stream().anyMatch(r -> r.statusCode() == 401));
            for (HttpResponse<String> r : answers) {
                String what = r.request().method() + " " + r.uri() + " → " + r.statusCode();
                assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null), what);
                assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null), what);
                assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null), what);
                assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"),
                        what);
            }
        }
    }
}
