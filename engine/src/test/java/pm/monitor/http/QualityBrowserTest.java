package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import pm.monitor.bench.Generator;
import pm.monitor.finding.Json;
import pm.monitor.support.Browser;
import pm.monitor.support.TestServer;

/**
 * The quality department's month in a real headless Chromium: the People page against {@code serve} on PostgreSQL: a generated
 * month with the front desk and engineers spread over several staff ids. From the table to the
 * person with the most breaches, to their first breach, to its ticket's timeline, where the
 * deadline names the same owner; the figures shown are the API's (PeopleTest checks those against
 * the findings emitted), and a month with no data says so. Trends by ISO week and by day with the
 * target line, a community compared with the company, each cell the API's KPI of that period.
 */
@Tag("browser")
class QualityBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Browser browser;
    private static TestServer server;
    private static List<String> sent;

    @BeforeAll
    static void replay() {
        if (Browser.missing() != null) {
            return;
        }
        browser = Browser.start();
        StringWriter w = new StringWriter();
        new Generator(2, 20, LocalDate.of(2026, 3, 2), 7, 10, 3).write(w);
        Random r = new Random(7);
        List<String> lines = new ArrayList<>();
        for (String line : w.toString().split("\n")) {
            lines.add(line.replace("\"receivedBy\":\"a1\"", "\"receivedBy\":\"FD" + (1 + r.nextInt(11)) + "\"")
                    .replace("\"to\":\"engineering\"", "\"to\":\"ENG" + (1 + r.nextInt(3)) + "\""));
        }
        sent = lines;
        server = TestServer.start("events");
        for (int i = 0; i < lines.size(); i += 2000) {
            var res = server.post("/api/events", String.join("\n", lines.subList(i, Math.min(lines.size(), i + 2000))));
            assertEquals(200, res.statusCode(), res.body());
        }
        OffsetDateTime last = OffsetDateTime.parse((String) ((Map<?, ?>) Json.parse(lines.get(lines.size() - 1))).get("at"));
        assertEquals(200, server.post("/api/clock", "{\"until\":\"" + last + "\"}").statusCode());
        server.drain();
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

    private void open(String path, String lang) {
        Browser.require();
        browser.open(server.url("/"));
        browser.js("localStorage.setItem('pm.lang', arguments[0])", lang);
        browser.open(server.url(path));
        browser.driver().navigate().refresh(); // a hash change alone would keep the page's language
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> people(String query) {
        var r = server.get("/api/dashboard/people?" + query);
        assertEquals(200, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    @Test
    @DisplayName("a person's breaches drill to a ticket whose timeline names them as the deadline's owner")
    @SuppressWarnings("unchecked")
    void personBreachesDrillToATicket() {
        Map<String, Object> api = people("community=C0001&period=2026-03");
        List<Map<String, Object>> rows = (List<Map<String, Object>>) api.get("people");
        open("/#/people?community=C0001&period=2026-03", "zh");
        browser.awaitElement("#people-table tbody tr[data-staff]", WAIT);
        List<WebElement> trs = browser.all("#people-table tbody tr[data-staff]");
        assertEquals(rows.size(), trs.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            WebElement tr = trs.get(i);
            assertEquals(row.get("staff"), tr.getAttribute("data-staff"));
            for (String key : List.of("tickets", "owned", "breached")) {
                assertEquals(String.valueOf(row.get(key)), tr.findElement(By.cssSelector("td[data-key='" + key + "']")).getText(),
                        row.get("staff") + " " + key);
            }
        }
        Map<String, Object> total = (Map<String, Object>) api.get("total");
        WebElement totalRow = browser.find("#people-total");
        assertTrue(totalRow.getText().startsWith("小区1"), "the community's own total carries its name: " + totalRow.getText());
        assertFalse(totalRow.getText().contains("全公司"), totalRow.getText());
        assertEquals(String.valueOf(total.get("breached")), totalRow.findElement(By.cssSelector("td[data-key='breached']")).getText());

        // The person with the most breaches (the table's first row) → their first breach → its ticket.
        String staff = (String) rows.get(0).get("staff");
        assertTrue(((Number) rows.get(0).get("breached")).longValue() > 0);
        trs.get(0).findElement(By.cssSelector("a.person-link")).click();
        browser.awaitElement("#person-limits tbody tr", WAIT);
        assertEquals(staff, browser.find("#person-staff").getText());
        WebElement first = browser.all("#person-limits tbody tr").get(0);
        assertEquals("breached", first.getAttribute("data-state"));
        String rule = first.getAttribute("data-rule");
        WebElement link = first.findElement(By.cssSelector("a.ticket-link"));
        String ticket = link.getText();
        link.click();
        browser.await("the ticket's timeline", WAIT, d -> ticket.equals(d.findElement(By.tagName("body")).getAttribute("data-ticket-ready")) ? true : null);
        assertEquals(ticket, browser.find("#ticket-id").getText());
        boolean owned = false;
        for (WebElement tr : browser.all("#deadlines tbody tr")) {
            if (rule.equals(tr.getAttribute("data-rule")) && tr.getAttribute("class").contains("state-breached")) {
                WebElement owner = tr.findElement(By.cssSelector("td.owner"));
                owned |= staff.equals(owner.getAttribute("data-owner"));
            }
        }
        assertTrue(owned, "the timeline names " + staff + " as the owner of the breached " + rule);
        browser.screenshot("people-ticket");
    }

    @Test
    @DisplayName("the page's headings and the roles have Chinese and English labels")
    void labelledInChineseAndEnglish() {
        open("/#/people?community=C0001&period=2026-03", "zh");
        browser.awaitElement("#people-table tbody tr[data-staff]", WAIT);
        List<String> zh = headings();
        List<String> zhRoles = roles();
        open("/#/people?community=C0001&period=2026-03", "en");
        browser.awaitElement("#people-table tbody tr[data-staff]", WAIT);
        List<String> en = headings();
        assertEquals(zh.size(), en.size());
        for (int i = 0; i < zh.size(); i++) {
            assertFalse(zh.get(i).isBlank() || en.get(i).isBlank(), zh + " / " + en);
            assertNotEquals(zh.get(i), en.get(i), "a heading in both languages");
            assertTrue(zh.get(i).codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN), zh.get(i));
        }
        List<String> enRoles = roles();
        assertEquals(zhRoles.size(), enRoles.size());
        assertTrue(zhRoles.size() >= 3, "front desk, engineering, building managers and more: " + zhRoles);
        for (int i = 0; i < zhRoles.size(); i++) {
            assertNotEquals(zhRoles.get(i), enRoles.get(i));
            assertFalse(enRoles.get(i).contains("_"), "a label, not an id: " + enRoles.get(i));
        }
    }

    private List<String> headings() {
        List<String> out = new ArrayList<>();
        browser.all("#people-table thead th, #roles-table thead th").forEach(th -> out.add(th.getText()));
        return out;
    }

    private List<String> roles() {
        List<String> out = new ArrayList<>();
        browser.all("#roles-table tbody tr td:first-child").forEach(td -> out.add(td.getText()));
        return out;
    }

    @Test
    @DisplayName("a month with no data says so instead of a table of blanks")
    void emptyMonthSaysSo() {
        open("/#/people?community=C0001&period=2025-01", "zh");
        WebElement empty = browser.awaitElement("#people-empty", WAIT);
        assertTrue(empty.getText().contains("2025-01") && empty.getText().contains("没有数据"), empty.getText());
        assertTrue(browser.all("#people-table").isEmpty());
    }

    @SuppressWarnings("unchecked")
    private void checkTrend(String by, String from, String to, List<String> expectedPeriods) {
        open("/#/trends?by=" + by + "&community=C0002&from=" + from + "&to=" + to, "zh");
        browser.await("the " + by + " trend", WAIT, d -> {
            List<WebElement> th = browser.all("#trend-table thead th");
            return th.size() == expectedPeriods.size() + 1 && th.get(1).getText().equals(expectedPeriods.get(0)) ? true : null;
        });
        List<String> shown = new ArrayList<>();
        browser.all("#trend-table thead th").stream().skip(1).forEach(th -> shown.add(th.getText()));
        assertEquals(expectedPeriods, shown);
        List<WebElement> rows = browser.all("#trend-table tbody tr");
        assertEquals(List.of("*", "C0002"), rows.stream().map(r -> r.getAttribute("data-community")).toList(),
                "the community compared with the company");
        assertEquals("全公司", rows.get(0).findElement(By.cssSelector("th")).getText(), "an unlimited caller's total is the company's");
        int withValue = 0;
        for (WebElement tr : rows) {
            String community = tr.getAttribute("data-community");
            List<WebElement> tds = tr.findElements(By.cssSelector("td"));
            for (int i = 0; i < shown.size(); i++) {
                var r = server.get("/api/kpis?kpi=kpi.timeliness&period=" + shown.get(i) + "&community="
                        + (community.equals("*") ? "*" : community));
                List<Map<String, Object>> k = ((List<Map<String, Object>>) TestServer.json(r).get("items")).stream()
                        .filter(x -> x.get("community").equals(community)).toList();
                String expected = k.isEmpty() ? "—" : (Boolean.FALSE.equals(k.get(0).get("met")) ? "▼ " : "")
                        + String.format(java.util.Locale.ROOT, "%.1f%%", ((Number) k.get(0).get("value")).doubleValue() * 100);
                withValue += k.isEmpty() ? 0 : 1;
                assertEquals(expected, tds.get(i).getText(), community + " " + shown.get(i));
            }
        }
        assertTrue(withValue >= shown.size(), "the range has values: " + withValue);
        Object line = browser.await("the chart's target line", WAIT, d -> browser.js("var c = window.echarts && echarts.getInstanceByDom("
                + "document.getElementById('trend-chart')); if (!c) return null; var o = c.getOption();"
                + "if (o.xAxis[0].data.length !== arguments[0]) return null; var s = o.series;"
                + "return s.length && s[0].markLine ? s[0].markLine.data[0].yAxis : null;", expectedPeriods.size()));
        assertEquals(90.0, ((Number) line).doubleValue(), 1e-9, "timeliness target 90%");
    }

    @Test
    @DisplayName("trend by ISO week: a community against the company, with the target line")
    void weeklyTrendWithTarget() {
        checkTrend("week", "2026-03-02", "2026-03-21", List.of("2026-W10", "2026-W11", "2026-W12"));
    }

    @Test
    @DisplayName("trend by day over any range, with the target line")
    void dailyTrendWithTarget() {
        List<String> days = new ArrayList<>();
        for (LocalDate d = LocalDate.of(2026, 3, 5); !d.isAfter(LocalDate.of(2026, 3, 12)); d = d.plusDays(1)) {
            days.add(d.toString());
        }
        checkTrend("day", "2026-03-05", "2026-03-12", days);
        browser.screenshot("trend-day");
    }

    /** The p-th quantile of some values, interpolated between ranks. */
    private static double quantile(List<Double> values, double p) {
        List<Double> v = new ArrayList<>(values);
        java.util.Collections.sort(v);
        double rank = p * (v.size() - 1);
        int lo = (int) Math.floor(rank);
        return v.get(lo) + (v.get((int) Math.ceil(rank)) - v.get(lo)) * (rank - lo);
    }

    @Test
    @DisplayName("time metrics: median and p90 of time to contact and to resolution per community, as the events sent give them, with the handbook limit beside")
    @SuppressWarnings("unchecked")
    void timeMetricsWithTheLimitBeside() {
        // From the events sent: the first contact and resolution of each ticket received in March (Shanghai).
        java.time.ZoneId zone = java.time.ZoneId.of("Asia/Shanghai");
        Map<String, java.time.Instant> received = new java.util.HashMap<>();
        Map<String, java.time.Instant> contacted = new java.util.HashMap<>();
        Map<String, java.time.Instant> resolved = new java.util.HashMap<>();
        for (String line : sent) {
            Map<String, Object> e = (Map<String, Object>) Json.parse(line);
            String key = e.get("community") + "|" + e.get("ticket");
            java.time.Instant at = OffsetDateTime.parse((String) e.get("at")).toInstant();
            switch ((String) e.get("type")) {
                case "ticket.received" -> {
                    if (at.atZone(zone).getMonthValue() == 3) {
                        received.put(key, at);
                    }
                }
                case "ticket.contacted" -> contacted.merge(key, at, (a, b) -> a.isBefore(b) ? a : b);
                case "ticket.resolved" -> resolved.merge(key, at, (a, b) -> a.isBefore(b) ? a : b);
                default -> { }
            }
        }
        var r = server.get("/api/dashboard/times?period=2026-03&by=community");
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> api = TestServer.json(r);
        List<Map<String, Object>> rows = (List<Map<String, Object>>) api.get("rows");
        assertEquals(2, rows.size());
        for (Map<String, Object> row : rows) {
            String c = (String) row.get("key");
            for (var metric : List.of(Map.entry("contact", contacted), Map.entry("resolution", resolved))) {
                List<Double> minutes = new ArrayList<>();
                long tickets = 0;
                for (var en : received.entrySet()) {
                    if (!en.getKey().startsWith(c + "|")) {
                        continue;
                    }
                    tickets++;
                    java.time.Instant end = metric.getValue().get(en.getKey());
                    if (end != null) {
                        minutes.add(java.time.Duration.between(en.getValue(), end).toMillis() / 60_000.0);
                    }
                }
                assertEquals(tickets, ((Number) row.get("tickets")).longValue(), c);
                Map<String, Object> f = (Map<String, Object>) ((Map<String, Object>) row.get("metrics")).get(metric.getKey());
                assertEquals(minutes.size(), ((Number) f.get("n")).intValue(), c + " " + metric.getKey());
                assertTrue(minutes.size() > 20, "enough to measure: " + minutes.size());
                assertEquals(Math.round(quantile(minutes, 0.5) * 10) / 10.0, ((Number) f.get("median")).doubleValue(), 1e-9,
                        c + " " + metric.getKey() + " median");
                assertEquals(Math.round(quantile(minutes, 0.9) * 10) / 10.0, ((Number) f.get("p90")).doubleValue(), 1e-9,
                        c + " " + metric.getKey() + " p90");
            }
        }

        open("/#/times?period=2026-03", "zh");
        browser.awaitElement("#times-table tbody tr", WAIT);
        assertEquals(rows.size(), browser.all("#times-table tbody tr").size());
        assertEquals("全公司", browser.find("#times-total th").getText());
        Map<String, Object> total = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) api.get("total"))
                .get("metrics")).get("contact");
        long m = Math.round(((Number) total.get("median")).doubleValue());
        String expected = m >= 60 ? (m / 60) + " 小时 " + String.format("%02d", m % 60) + " 分" : m + " 分钟";
        assertEquals(expected, browser.find("#times-total td[data-metric='contact'][data-q='median']").getText());
        // beside the contact figures: the handbook's 2-hour contact limit, named in Chinese
        WebElement limit = browser.find("#times-table th.limits[data-metric='contact'] .limit[data-rule='complaint.contact-2h']");
        assertTrue(limit.getText().contains("2 小时 00 分"), limit.getText());
        assertTrue(limit.getText().codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN));
        browser.screenshot("times");
        open("/#/times?period=2025-02", "zh");
        assertTrue(browser.awaitElement("#times-empty", WAIT).getText().contains("没有数据"));
    }

    /** Waits for a downloaded file whose name ends with {@code suffix} and is complete. */
    private static java.nio.file.Path download(String suffix) {
        return browser.await("the download " + suffix, WAIT, d -> {
            try (var files = java.nio.file.Files.list(browser.downloads())) {
                return files.filter(f -> f.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
            } catch (java.io.IOException e) {
                return null;
            }
        });
    }

    @Test
    @DisplayName("export: the people table as CSV (BOM, the shown filters, the rows as drawn) and as XLSX (numbers as numbers, filters on a sheet)")
    @SuppressWarnings("unchecked")
    void exportTheTableAsShown() throws Exception {
        try (var old = java.nio.file.Files.list(browser.downloads())) {
            for (var f : old.toList()) {
                java.nio.file.Files.delete(f);
            }
        }
        open("/#/people?community=C0002&period=2026-03", "zh");
        browser.awaitElement("#people-table tbody tr[data-staff]", WAIT);
        List<List<String>> drawn = (List<List<String>>) browser.js("return [...document.querySelectorAll("
                + "'#people-table tbody tr, #people-table tfoot tr')].map(tr => [...tr.children].map(td => td.innerText.trim()))");
        browser.all("h3 .export-csv").get(0).click();
        java.nio.file.Path csv = download(".csv");
        byte[] bytes = java.nio.file.Files.readAllBytes(csv);
        assertEquals(0xEF, bytes[0] & 0xff, "UTF-8 byte-order mark");
        assertEquals(0xBB, bytes[1] & 0xff);
        assertEquals(0xBF, bytes[2] & 0xff);
        List<String> lines = List.of(new String(bytes, java.nio.charset.StandardCharsets.UTF_8).substring(1).split("\r\n"));
        assertTrue(lines.contains("小区,C0002 小区2"), lines.subList(0, 4).toString());
        assertTrue(lines.contains("期间,2026-03"), lines.subList(0, 4).toString());
        int header = lines.indexOf("");
        assertTrue(lines.get(header + 1).startsWith("工号,岗位,受理工单,"), lines.get(header + 1));
        assertEquals(drawn.size(), lines.size() - header - 2, "every row drawn, and nothing more");
        for (int i = 0; i < drawn.size(); i++) {
            assertEquals(String.join(",", drawn.get(i).stream().map(c -> c.contains(",") || c.contains("\n")
                    ? "\"" + c.replace("\"", "\"\"") + "\"" : c).toList()), lines.get(header + 2 + i));
        }

        browser.all("h3 .export-xlsx").get(0).click();
        java.nio.file.Path xlsx = download(".xlsx");
        try (var wb = new org.apache.poi.xssf.usermodel.XSSFWorkbook(java.nio.file.Files.newInputStream(xlsx))) {
            var sheet = wb.getSheetAt(0);
            assertEquals("工号", sheet.getRow(0).getCell(0).getStringCellValue());
            assertEquals(drawn.size(), sheet.getLastRowNum());
            for (int i = 0; i < drawn.size(); i++) {
                var cell = sheet.getRow(i + 1).getCell(2); // tickets taken: a number (the role-only row has none)
                if (drawn.get(i).get(2).isEmpty()) {
                    assertTrue(cell == null || cell.getCellType() == org.apache.poi.ss.usermodel.CellType.BLANK);
                    continue;
                }
                assertEquals(org.apache.poi.ss.usermodel.CellType.NUMERIC, cell.getCellType());
                assertEquals(Double.parseDouble(drawn.get(i).get(2)), cell.getNumericCellValue(), 1e-9);
            }
            var filters = wb.getSheetAt(1);
            assertEquals("小区", filters.getRow(1).getCell(0).getStringCellValue());
            assertEquals("C0002 小区2", filters.getRow(1).getCell(1).getStringCellValue());
            assertEquals("2026-03", filters.getRow(2).getCell(1).getStringCellValue());
        }
    }

    @Test
    @DisplayName("the drill-down lists tickets in natural order: …-Q2 before …-Q10")
    @SuppressWarnings("unchecked")
    void drillDownInNaturalOrder() {
        // Three complaints after the scenario's last event, numbered as a front desk numbers them.
        OffsetDateTime at = OffsetDateTime.parse((String) ((Map<?, ?>) Json.parse(sent.get(sent.size() - 1))).get("at")).plusMinutes(1);
        List<String> extra = new ArrayList<>();
        for (String n : List.of("10", "2", "1")) {
            Map<String, Object> e = new java.util.LinkedHashMap<>();
            String[] kv = {"id", "nat-" + n, "type", "ticket.received", "at", at.toString(), "community", "C0001",
                    "ticket", "C0001-NAT-Q" + n, "kind", "complaint", "channel", "phone", "household", "1-1-101",
                    "building", "B1", "category", "service", "receivedBy", "FD1", "summary", "编号测试"};
            for (int i = 0; i < kv.length; i += 2) {
                e.put(kv[i], kv[i + 1]);
            }
            extra.add(Json.write(e));
        }
        var posted = server.post("/api/events", String.join("\n", extra));
        assertEquals(200, posted.statusCode(), posted.body());
        sent = new ArrayList<>(sent);
        sent.addAll(extra); // the times test counts them too, whichever runs first
        assertEquals(200, server.post("/api/clock", "{\"until\":\"" + at.plusDays(1) + "\"}").statusCode());
        server.drain();
        String period = at.toLocalDate().toString().substring(0, 7);
        var r = server.get("/api/dashboard/tickets?community=C0001&kpi=kpi.timeliness&period=" + period + "&in=all&limit=500");
        assertEquals(200, r.statusCode(), r.body());
        List<String> ids = ((List<Map<String, Object>>) TestServer.json(r).get("items")).stream()
                .map(m -> (String) m.get("ticket")).filter(id -> id.startsWith("C0001-NAT-")).toList();
        assertEquals(List.of("C0001-NAT-Q1", "C0001-NAT-Q2", "C0001-NAT-Q10"), ids);
    }
}
