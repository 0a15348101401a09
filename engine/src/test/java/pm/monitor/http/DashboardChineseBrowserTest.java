package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import pm.monitor.access.Role;
import pm.monitor.bench.Generator;
import pm.monitor.finding.Json;
import pm.monitor.support.Browser;
import pm.monitor.support.ChineseText;
import pm.monitor.support.TestServer;

/**
 * Every view of the dashboard in Chinese, on real data (a generated history replayed through
 * {@code POST /api/events}, its alerts, a silence and a roster entry), issue 19 "Chinese all the
 * way" and "Phone first": no Latin word outside ids and codes in any view — the deadlines'
 * explanations, the duties' notes, KPI details, the server's error messages and the login form
 * included — and at 390 × 844 no view scrolls sideways, the top bar keeps to a fifth of the
 * screen and the live feed's table fits.
 */
@Tag("browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardChineseBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String MONTH = "2026-03";

    private static TestServer server;
    /** The views to walk: a name for the report, and the page's address. */
    private static final Map<String, String> VIEWS = new LinkedHashMap<>();
    private static String[] STAFF = {};

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(String path) {
        var r = server.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return (List<Map<String, Object>>) TestServer.json(r).get("items");
    }

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void replayHistory() {
        if (Browser.missing() != null) {
            return;
        }
        StringWriter generated = new StringWriter();
        new Generator(3, 14, LocalDate.of(2026, 3, 16), 11, 12, 4).write(generated);
        String[] lines = generated.toString().split("\n");
        server = TestServer.start("events");
        var roster = server.request("POST", "/api/roster", Json.write(Map.of("community", "C0001", "role", "supervisor",
                "name", "张主管", "channel", "webhook", "address", "http://127.0.0.1:9/C0001")), "Content-Type", "application/json");
        assertEquals(201, roster.statusCode(), roster.body());
        for (int i = 0; i < lines.length; i += 2000) {
            var r = server.post("/api/events", String.join("\n", java.util.Arrays.copyOfRange(lines, i, Math.min(lines.length, i + 2000))));
            assertEquals(200, r.statusCode(), r.body());
        }
        OffsetDateTime last = OffsetDateTime.parse((String) ((Map<?, ?>) Json.parse(lines[lines.length - 1])).get("at"));
        assertEquals(200, server.post("/api/clock", "{\"until\":\"" + last + "\"}").statusCode());
        server.drain();
        var silence = server.request("POST", "/api/silences", Json.write(Map.of("community", "C0001", "rule", "call.three-rings",
                "reason", "电话线路检修", "for", "1d", "author", "品质部")), "Content-Type", "application/json");
        assertEquals(201, silence.statusCode(), silence.body());

        STAFF = staffIds();
        VIEWS.put("overview", "/#/overview");
        VIEWS.put("drill-down (tickets)", "/#/drill?community=C0001&kpi=kpi.timeliness&period=" + MONTH);
        VIEWS.put("drill-down (findings)", "/#/drill?community=C0001&kpi=kpi.calls&period=" + MONTH);
        // a ticket warned of (the warning's explanation), one with a deadline met late or waived (the notes)
        Map<String, Object> warning = items("/api/findings?kind=warning&limit=200").stream()
                .filter(f -> ((Map<?, ?>) f.get("details")).get("ticket") != null).findFirst().orElseThrow();
        VIEWS.put("ticket timeline (warning)", ticketView(warning));
        String noted = null;
        String owner = null;
        for (Map<String, Object> f : items("/api/findings?kind=violation&limit=200")) {
            Object ticket = ((Map<String, Object>) f.get("details")).get("ticket");
            if (ticket == null) {
                continue;
            }
            Map<String, Object> t = TestServer.json(server.get("/api/dashboard/tickets/" + f.get("community") + "/" + enc((String) ticket)));
            for (Map<String, Object> d : (List<Map<String, Object>>) t.get("deadlines")) {
                owner = owner == null && d.get("owner") != null ? f.get("community") + "&staff=" + enc((String) d.get("owner")) : owner;
                if (noted == null && d.get("note") != null) {
                    noted = ticketView(f);
                }
            }
            if (noted != null && owner != null) {
                break;
            }
        }
        assertTrue(noted != null, "a ticket with a deadline met late or waived");
        VIEWS.put("ticket timeline (notes)", noted);
        VIEWS.put("people", "/#/people?community=C0001&period=" + MONTH);
        VIEWS.put("person", "/#/person?community=" + owner + "&period=" + MONTH);
        VIEWS.put("times", "/#/times");
        VIEWS.put("trends", "/#/trends?months=3");
        VIEWS.put("report", "/#/report?month=" + MONTH);
        VIEWS.put("rules", "/#/rules");
        VIEWS.put("live feed", "/#/live");
        VIEWS.put("live feed (KPI alerts)", "/#/live?kind=alert");
        VIEWS.put("alerts inbox", "/#/alerts?mine=false");
        // the alert clock routes the stored findings on its own tick, after the replay has answered
        TestServer.await("the history's alerts", java.time.Duration.ofSeconds(60),
                () -> !items("/api/alerts?limit=1").isEmpty());
        List<Map<String, Object>> alerts = items("/api/alerts?limit=200");
        VIEWS.put("an alert's page", "/#" + alerts.get(0).get("id"));
        alerts.stream().filter(a -> String.valueOf(a.get("rule")).startsWith("kpi.")).findFirst()
                .ifPresent(a -> VIEWS.put("a KPI alert's page", "/#" + a.get("id")));
        VIEWS.put("silences", "/#/silences?all=true");
        VIEWS.put("roster", "/#/roster");
        // what the server says when it refuses: a period that does not exist, a ticket that does not
        VIEWS.put("an error from the server (bad period)", "/#/people?community=C0001&period=2026-13");
        VIEWS.put("an error from the server (no such ticket)", "/#/ticket?community=C0001&ticket=T-404404");
    }

    /**
     * Staff ids as the events name them: a department the work went to ({@code engineering})
     * is an id like a staff number, shown as sent.
     */
    @SuppressWarnings("unchecked")
    private static String[] staffIds() {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (String c : List.of("C0001", "C0002", "C0003")) {
            Map<String, Object> d = TestServer.json(server.get("/api/dashboard/people?community=" + c + "&period=" + MONTH));
            for (Map<String, Object> p : (List<Map<String, Object>>) d.get("people")) {
                ids.add((String) p.get("staff"));
            }
        }
        return ids.toArray(String[]::new);
    }

    private static String ticketView(Map<String, Object> f) {
        Object ticket = ((Map<?, ?>) f.get("details")).get("ticket");
        return "/#/ticket?community=" + f.get("community") + "&ticket=" + enc(String.valueOf(ticket));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Opens a view in Chinese and waits until it has drawn its data and stopped changing. */
    private static void show(Browser browser, String path) {
        browser.open(server.url("/"));
        browser.js("localStorage.setItem('pm.lang', 'zh')");
        browser.open(server.url(path));
        String[] before = {null};
        long[] since = {System.nanoTime()};
        browser.await("the view " + path + " to settle", WAIT, d -> {
            Object text = browser.js("var v = document.getElementById('view');"
                    + "return v && !v.querySelector('.loading') && v.innerText.trim() ? document.body.innerText : null");
            if (text == null || !text.equals(before[0])) {
                before[0] = text == null ? null : (String) text;
                since[0] = System.nanoTime();
                return null;
            }
            return System.nanoTime() - since[0] > 400_000_000L ? true : null; // unchanged for 0.4 s
        });
    }

    /** The Latin words of the page outside ids and codes, as one failure line. */
    private static void english(Browser browser, String where, List<String> failures) {
        List<String> words = ChineseText.latinWords(String.valueOf(browser.js("return document.body.innerText")), STAFF);
        if (!words.isEmpty()) {
            failures.add(where + ": English " + new java.util.TreeSet<>(words));
        }
    }

    @Test
    @Order(1)
    @DisplayName("every view in Chinese at 1440 x 900: no English word outside ids and codes")
    void everyViewInChinese() {
        Browser.require();
        List<String> failures = new ArrayList<>();
        try (Browser browser = Browser.start()) {
            browser.desktop();
            for (Map.Entry<String, String> v : VIEWS.entrySet()) {
                show(browser, v.getValue());
                english(browser, v.getKey() + " (" + v.getValue() + ")", failures);
            }
        }
        assertTrue(failures.isEmpty(), "English in the Chinese dashboard:\n" + String.join("\n", failures));
    }

    @Test
    @Order(2)
    @DisplayName("every view on a 390 x 844 phone: Chinese, no sideways scrolling, a top bar of at most a fifth of the screen, a live feed that fits")
    void everyViewOnAPhone() {
        Browser.require();
        List<String> failures = new ArrayList<>();
        try (Browser browser = Browser.start()) {
            browser.phone();
            for (Map.Entry<String, String> v : VIEWS.entrySet()) {
                show(browser, v.getValue());
                String where = v.getKey() + " (" + v.getValue() + ")";
                english(browser, where, failures);
                Map<String, Object> m = (Map<String, Object>) browser.js("return {wide: document.scrollingElement.scrollWidth,"
                        + " width: window.innerWidth, height: window.innerHeight,"
                        + " top: document.querySelector('header.top').getBoundingClientRect().height}");
                long wide = ((Number) m.get("wide")).longValue();
                long width = ((Number) m.get("width")).longValue();
                double top = ((Number) m.get("top")).doubleValue();
                long height = ((Number) m.get("height")).longValue();
                if (wide > width) {
                    failures.add(where + ": scrolls sideways, " + wide + " px wide on a " + width + " px screen");
                }
                if (top > 0.2 * height) {
                    failures.add(where + ": the top bar takes " + Math.round(top) + " of " + height + " px");
                }
                if (v.getValue().startsWith("/#/live")) {
                    Object feedWide = browser.js("var f = document.getElementById('feed'); if (!f) return 'no feed';"
                            + "for (var e = f; e && e !== document.body; e = e.parentElement) {"
                            + "  if (e.scrollWidth > e.clientWidth + 1) return e.tagName + '.' + e.className + ' ' + e.scrollWidth + ' > ' + e.clientWidth; }"
                            + "return null");
                    if (feedWide != null) {
                        failures.add(where + ": the feed scrolls sideways: " + feedWide);
                    }
                }
                browser.screenshot("zh-phone-" + v.getKey().replaceAll("[^a-zA-Z]+", "-"));
            }
        }
        assertTrue(failures.isEmpty(), "On a phone:\n" + String.join("\n", failures));
    }

    @Test
    @Order(3)
    @DisplayName("once a token exists the page asks for it in Chinese, and a wrong one is refused in Chinese")
    void loginInChinese() {
        Browser.require();
        server.app().access().create("zh-admin", Role.ADMIN, null, "test");
        try (Browser browser = Browser.start()) {
            browser.phone();
            browser.open(server.url("/"));
            browser.js("localStorage.setItem('pm.lang', 'zh')");
            browser.open(server.url("/#/overview"));
            var user = browser.awaitElement("form#login input[name=user]", WAIT);
            ChineseText.assertChineseOnly(browser, "the login form");
            // a person's wrong password, then a machine's wrong token: both refused in Chinese
            user.sendKeys("wang");
            browser.find("form#login input[name=password]").sendKeys("not-the-password");
            browser.find("form#login button[type=submit]").click();
            browser.await("the refusal", WAIT, d -> browser.find("form#login .login-error").getText().isBlank() ? null : true);
            ChineseText.assertChineseOnly(browser, "the refused password", "wang");
            browser.find("#login-use-token").click();
            var input = browser.find("form#login input[name=token]");
            input.sendKeys("not-a-token");
            browser.find("form#login button[type=submit]").click();
            browser.await("the token's refusal", WAIT, d -> browser.find("form#login .login-error").getText().isBlank() ? null : true);
            ChineseText.assertChineseOnly(browser, "the refused token", "not-a-token");
        }
    }
}
