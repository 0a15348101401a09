package pm.monitor.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.io.StringWriter;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.bench.Generator;
import pm.monitor.finding.Json;
import pm.monitor.support.TestServer;

/**
 * The scheduled reports against {@code serve} on PostgreSQL with a real SMTP server (GreenMail):
 * the clock is the events' ({@code serve --clock events}), moved by {@code POST /api/clock}. The
 * weekly report comes when its week has ended; the monthly report not a minute before the month's
 * end in the communities' zone, then at once, as XLSX to the subscribed role's address, saying the
 * month is covered only in part (the events begin on the 9th), and kept for download: the
 * report page in headless Chromium lists it, and its link downloads the file that was e-mailed.
 */
@Tag("browser")
class ScheduledReportsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> made(TestServer server) {
        var r = server.get("/api/dashboard/reports");
        assertEquals(200, r.statusCode(), r.body());
        return (List<Map<String, Object>>) TestServer.json(r).get("items");
    }

    private static java.net.http.HttpResponse<String> json(TestServer server, String method, String path, String body) {
        return server.request(method, path, body, "Content-Type", "application/json");
    }

    private static List<String> subjects(GreenMail smtp) {
        List<String> out = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            try {
                out.add(m.getSubject());
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private static byte[] attachment(MimeMessage m) throws Exception {
        Multipart parts = (Multipart) m.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart p = parts.getBodyPart(i);
            if (p.getFileName() != null && p.getFileName().endsWith(".xlsx")) {
                try (InputStream in = p.getInputStream()) {
                    return in.readAllBytes();
                }
            }
        }
        return null;
    }

    @Test
    @DisplayName("the monthly XLSX arrives in the quality department's mailbox at the month's end on the events' clock, marked partial")
    @SuppressWarnings("unchecked")
    void monthlyReportArrivesAtTheMonthsEnd() throws Exception {
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        TestServer server = TestServer.start("events");
        try {
            var set = json(server, "PUT", "/api/alerts/settings", Json.write(Map.of("smtp.host", "127.0.0.1",
                    "smtp.port", String.valueOf(smtp.getSmtp().getPort()), "smtp.starttls", "disabled",
                    "smtp.from", "monitor@wy.example", "report.monthly.roles", "quality", "report.weekly.roles", "quality",
                    "by", "test")));
            assertEquals(200, set.statusCode(), set.body());
            var roster = json(server, "POST", "/api/roster", Json.write(Map.of("community", "*", "role", "quality", "name", "品质部",
                    "channel", "email", "address", "quality@wy.example")));
            assertEquals(201, roster.statusCode(), roster.body());
            // someone of a role that did not subscribe gets nothing
            assertEquals(201, json(server, "POST", "/api/roster", Json.write(Map.of("community", "*", "role", "general_manager",
                    "name", "总经理", "channel", "email", "address", "gm@wy.example"))).statusCode());

            StringWriter w = new StringWriter();
            new Generator(2, 20, LocalDate.of(2026, 3, 10), 11, 8, 2).write(w);
            // The generator's late steps (follow-ups, closings) run into April: keep March's only.
            java.time.Instant cut = java.time.OffsetDateTime.parse("2026-03-31T12:00:00+08:00").toInstant();
            String[] lines = java.util.Arrays.stream(w.toString().split("\n")).filter(l -> java.time.OffsetDateTime.parse(
                    (String) ((Map<?, ?>) Json.parse(l)).get("at")).toInstant().isBefore(cut)).toArray(String[]::new);
            for (int i = 0; i < lines.length; i += 2000) {
                var r = server.post("/api/events", String.join("\n", java.util.Arrays.copyOfRange(lines, i, Math.min(lines.length, i + 2000))));
                assertEquals(200, r.statusCode(), r.body());
            }

            // A minute before the month's end: the week of 23-29 March has ended, March has not.
            assertEquals(200, server.post("/api/clock", "{\"until\":\"2026-03-31T23:59:00+08:00\"}").statusCode());
            server.drain();
            // (earlier weeks may have been made already while the events came in: their clock moved too)
            TestServer.await("the weekly report of 23-29 March", WAIT, () -> made(server).stream()
                    .anyMatch(m -> m.get("period").equals("2026-W13")));
            List<Map<String, Object>> first = made(server);
            assertEquals(List.of(), first.stream().filter(m -> m.get("kind").equals("monthly")).toList(),
                    "February ended before the data began; March has not ended");
            Map<String, Object> week = first.stream().filter(m -> m.get("period").equals("2026-W13")).findFirst().orElseThrow();
            assertEquals(false, week.get("partial"), "the week lies wholly after the first event");
            TestServer.await("the weekly e-mail", WAIT, () -> subjects(smtp).stream().anyMatch(x -> x.contains("2026-W13")));
            int before = smtp.getReceivedMessages().length;

            // The month ends on the events' clock: its report is made and sent.
            assertEquals(200, server.post("/api/clock", "{\"until\":\"2026-04-01T00:00:05+08:00\"}").statusCode());
            server.drain();
            TestServer.await("the monthly report's e-mail", WAIT, () -> subjects(smtp).stream().anyMatch(x -> x.contains("2026-03")));
            assertTrue(smtp.getReceivedMessages().length > before);
            MimeMessage mail = null;
            for (MimeMessage m : smtp.getReceivedMessages()) {
                if (m.getSubject().contains("2026-03")) {
                    mail = m;
                }
            }
            assertNotNull(mail, "an e-mail of the March report");
            assertEquals("quality@wy.example", mail.getAllRecipients()[0].toString());
            assertEquals(1, mail.getAllRecipients().length, "only the role that subscribed");
            assertTrue(mail.getSubject().contains("月报") && mail.getSubject().contains("部分期间"), mail.getSubject());
            byte[] xlsx = attachment(mail);
            assertNotNull(xlsx, "an XLSX attachment");

            // The file is the month's report as the dashboard gives it, with the partial period said first.
            Map<String, Object> json = TestServer.json(server.get("/api/dashboard/report?month=2026-03&limit=100"));
            List<Map<String, Object>> rows = new ArrayList<>((List<Map<String, Object>>) json.get("items"));
            rows.add((Map<String, Object>) json.get("company")); // the company's row last, as in the file
            try (XSSFWorkbook wb = new XSSFWorkbook(new java.io.ByteArrayInputStream(xlsx))) {
                assertEquals("月报 2026-03", wb.getSheetAt(0).getSheetName());
                assertEquals(rows.size(), wb.getSheetAt(0).getLastRowNum(), "one row per community and the company");
                List<String> codes = new ArrayList<>();
                for (int i = 1; i <= wb.getSheetAt(0).getLastRowNum(); i++) {
                    codes.add(wb.getSheetAt(0).getRow(i).getCell(0).getStringCellValue());
                }
                assertEquals(rows.stream().map(r -> String.valueOf(r.get("community"))).toList(), codes);
                String note = wb.getSheetAt(1).getRow(0).getCell(0).getStringCellValue();
                assertTrue(note.startsWith("部分期间") && note.contains("Partial period") && note.contains("2026-03-09"), note);
            }
            Map<String, Object> march = made(server).stream().filter(m -> m.get("period").equals("2026-03")).findFirst().orElseThrow();
            assertEquals(true, march.get("partial"));
            assertTrue(String.valueOf(march.get("sent")).startsWith("sent to quality@wy.example"), String.valueOf(march.get("sent")));
            var kept = server.get("/api/dashboard/reports/monthly/2026-03");
            assertEquals(200, kept.statusCode());
            assertFalse(kept.body().isEmpty());
            assertEquals(404, server.get("/api/dashboard/reports/monthly/2026-02").statusCode());

            // The report page lists it, partial, and its link gives the very file that was sent.
            pm.monitor.support.Browser.require();
            try (pm.monitor.support.Browser browser = pm.monitor.support.Browser.start()) {
                browser.open(server.url("/#/report?month=2026-03"));
                org.openqa.selenium.WebElement row = browser.awaitElement(
                        "#scheduled-table tr[data-period='2026-03'][data-kind='monthly']", WAIT);
                assertTrue(row.getText().contains("月报") && row.getText().contains("是：数据自 2026-03-09"), row.getText());
                row.findElement(org.openqa.selenium.By.cssSelector("a")).click();
                java.nio.file.Path file = browser.await("the download", WAIT, d -> {
                    try (var files = java.nio.file.Files.list(browser.downloads())) {
                        return files.filter(f -> f.toString().endsWith(".xlsx")).findFirst().orElse(null);
                    } catch (java.io.IOException e) {
                        return null;
                    }
                });
                TestServer.await("the whole file", WAIT, () -> {
                    try {
                        return java.util.Arrays.equals(xlsx, java.nio.file.Files.readAllBytes(file));
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
                browser.screenshot("scheduled-reports");
            }
        } finally {
            server.close();
            smtp.stop();
        }
    }
}
