package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Json;
import pm.monitor.support.TestServer;

/**
 * The dashboard's read models over HTTP, on real PostgreSQL, without a browser: paging and
 * filtering on the server, the CSV report (its numbers and its safety in a spreadsheet), and
 * the answers to bad requests.
 */
@Tag("server")
class DashboardApiTest {
    /** Free text that a spreadsheet would run as a formula if it were written as it is. */
    private static final String FORMULA_NAME = "=HYPERLINK(\"http://x\",\"点我\")";
    private static TestServer server;

    private static String event(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return Json.write(m);
    }

    @BeforeAll
    static void start() {
        server = TestServer.start("events");
        List<String> lines = new ArrayList<>();
        int n = 0;
        for (int c = 1; c <= 5; c++) {
            String community = "C" + c;
            lines.add(event("id", "r" + c, "type", "community.registered", "at", "2026-03-01T08:00:00+08:00",
                    "community", community, "name", c == 1 ? FORMULA_NAME : "小区" + c));
            // Community c gets c complaints; those of odd c are handled on time, step by step as the
            // handbook asks, the others are never touched after their receipt.
            for (int t = 1; t <= c; t++) {
                String ticket = community + "-T" + t;
                lines.add(event("id", "e" + (++n), "type", "ticket.received", "at", "2026-03-02T09:0" + t + ":00+08:00",
                        "community", community, "ticket", ticket, "kind", "complaint", "channel", "phone",
                        "category", t % 2 == 0 ? "service" : "environment", "receivedBy", "a1", "summary", "s"));
                if (c % 2 == 1) {
                    lines.add(event("id", "e" + (++n), "type", "ticket.contacted", "at", "2026-03-02T10:00:00+08:00",
                            "community", community, "ticket", ticket, "by", "s1"));
                    lines.add(event("id", "e" + (++n), "type", "ticket.resolved", "at", "2026-03-02T14:00:00+08:00",
                            "community", community, "ticket", ticket, "by", "e1"));
                    lines.add(event("id", "e" + (++n), "type", "ticket.replied", "at", "2026-03-02T15:00:00+08:00",
                            "community", community, "ticket", ticket, "by", "s1", "method", "phone"));
                    lines.add(event("id", "e" + (++n), "type", "ticket.followed_up", "at", "2026-03-02T16:00:00+08:00",
                            "community", community, "ticket", ticket, "by", "s2", "method", "phone", "satisfied", true));
                    lines.add(event("id", "e" + (++n), "type", "ticket.closed", "at", "2026-03-02T17:00:00+08:00",
                            "community", community, "ticket", ticket, "by", "s1"));
                }
            }
        }
        var r = server.post("/api/events", String.join("\n", lines));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(List.of(), TestServer.json(r).get("rejected"));
        assertEquals(200, server.post("/api/clock", "{\"until\":\"2026-03-10T00:00:00+08:00\"}").statusCode());
        server.drain();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> kpi(String community, String kpi, String period) {
        for (Map<String, Object> k : (List<Map<String, Object>>) TestServer.json(server.get("/api/kpis?community="
                + community + "&kpi=" + kpi + "&period=" + period)).get("items")) {
            if (k.get("community").equals(community)) {
                return k;
            }
        }
        return null;
    }

    @Test
    @DisplayName("the overview is paged, searched and filtered to under-target communities on the server")
    @SuppressWarnings("unchecked")
    void overviewIsPagedAndFilteredOnTheServer() {
        Map<String, Object> page = TestServer.json(server.get("/api/dashboard/overview?date=2026-03-02&limit=2&offset=2"));
        assertEquals(5, page.get("total"));
        List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
        assertEquals(List.of("C3", "C4"), items.stream().map(i -> i.get("community")).toList());

        Map<String, Object> found = TestServer.json(server.get("/api/dashboard/overview?date=2026-03-02&q=" + enc("小区5")));
        assertEquals(1, found.get("total"));

        Map<String, Object> under = TestServer.json(server.get("/api/dashboard/overview?date=2026-03-02&under=1&basis=month"));
        List<String> expected = new ArrayList<>();
        for (String c : List.of("C1", "C2", "C3", "C4", "C5")) {
            Map<String, Object> k = kpi(c, "kpi.timeliness", "2026-03");
            if (k != null && Boolean.FALSE.equals(k.get("met"))) {
                expected.add(c);
            }
        }
        assertEquals(List.of("C2", "C4"), expected, "the communities that never handled their complaints");
        assertEquals(expected, ((List<Map<String, Object>>) under.get("items")).stream().map(i -> i.get("community")).toList());
        Map<String, Object> c2 = ((List<Map<String, Object>>) under.get("items")).get(0);
        Map<String, Object> month = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) c2.get("kpis"))
                .get("kpi.timeliness")).get("month");
        assertEquals(kpi("C2", "kpi.timeliness", "2026-03").get("denominator"), ((Number) month.get("denominator")).intValue());

        Map<String, Object> sorted = TestServer.json(server.get("/api/dashboard/overview?date=2026-03-02&sort=kpi.timeliness"));
        List<String> order = ((List<Map<String, Object>>) sorted.get("items")).stream().map(i -> (String) i.get("community")).toList();
        assertEquals(List.of("C2", "C4"), order.subList(0, 2), "lowest timeliness first");
    }

    @Test
    @DisplayName("drill-down lists the tickets behind a KPI's numerator and denominator")
    @SuppressWarnings("unchecked")
    void drillDownListsTheTickets() {
        Map<String, Object> other = TestServer.json(server.get(
                "/api/dashboard/tickets?community=C4&kpi=kpi.timeliness&period=2026-03&in=other"));
        assertEquals(4, other.get("denominator"));
        assertEquals(0, ((Number) other.get("numerator")).intValue());
        List<Map<String, Object>> items = (List<Map<String, Object>>) other.get("items");
        assertEquals(List.of("C4-T1", "C4-T2", "C4-T3", "C4-T4"), items.stream().map(i -> i.get("ticket")).toList());
        assertTrue(((List<?>) items.get(0).get("breached")).contains("complaint.contact-2h"), items.get(0).toString());
        Map<String, Object> good = TestServer.json(server.get(
                "/api/dashboard/tickets?community=C3&kpi=kpi.timeliness&period=2026-03&in=numerator&limit=2"));
        assertEquals(3, good.get("total"));
        assertEquals(2, ((List<?>) good.get("items")).size());
    }

    @Test
    @DisplayName("the CSV report has the API's numbers, a BOM for Excel, and free text that cannot run as a formula")
    void csvReport() {
        var r = server.get("/api/dashboard/report?month=2026-03&format=csv");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Disposition").orElse("").contains("monthly-report-2026-03-zh.csv"));
        String body = r.body();
        assertEquals('\uFEFF', body.charAt(0));
        List<List<String>> rows = parseCsv(body.substring(1));
        List<String> header = rows.get(0);
        assertEquals("小区编码", header.get(0));
        assertEquals(7, rows.size(), "a header, five communities and the company");
        Map<String, List<String>> byCommunity = new LinkedHashMap<>();
        rows.subList(1, rows.size()).forEach(row -> byCommunity.put(row.get(0), row));
        assertEquals("'" + FORMULA_NAME, byCommunity.get("C1").get(1), "a leading = is neutralised");
        assertEquals("全公司", byCommunity.get("*").get(1));

        int num = header.indexOf("报事处理及时率·分子");
        int den = header.indexOf("报事处理及时率·分母");
        int violations = header.indexOf("违规·有效投诉2小时内联系业户 (complaint.contact-2h)");
        assertTrue(num > 0 && den > 0 && violations > 0, header.toString());
        for (String c : List.of("C1", "C2", "C3", "C4", "C5", "*")) {
            Map<String, Object> k = kpi(c, "kpi.timeliness", "2026-03");
            assertEquals(String.valueOf(k.get("numerator")), byCommunity.get(c).get(num), c);
            assertEquals(String.valueOf(k.get("denominator")), byCommunity.get(c).get(den), c);
            Object total = TestServer.json(server.get("/api/findings?limit=1&kind=violation&rule=complaint.contact-2h"
                    + (c.equals("*") ? "" : "&community=" + c))).get("total");
            assertEquals(String.valueOf(total), byCommunity.get(c).get(violations), c);
        }
        assertEquals("4", byCommunity.get("C4").get(violations));
    }

    @Test
    @DisplayName("the page is served with a content security policy; bad parameters are 400, unknown things 404")
    void policyAndErrors() {
        var page = server.get("/");
        assertEquals(200, page.statusCode());
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-eval"), csp);
        assertEquals("default-src 'none'; frame-ancestors 'none'", server.get("/api/dashboard/communities").headers()
                .firstValue("Content-Security-Policy").orElse(null), "an API answer loads nothing");
        assertEquals(csp, server.get("/alerts.html").headers().firstValue("Content-Security-Policy").orElse(null),
                "the alerts page runs under the dashboard's policy (its script is a file)");

        assertEquals(400, server.get("/api/dashboard/tickets?community=C1&kpi=kpi.timeliness&period=2026-13").statusCode());
        assertEquals(400, server.get("/api/dashboard/tickets?community=C1&kpi=kpi.timeliness").statusCode());
        assertEquals(400, server.get("/api/dashboard/report?month=March").statusCode());
        assertEquals(400, server.get("/api/dashboard/overview?sort=bogus").statusCode());
        assertEquals(400, server.get("/api/dashboard/overview?limit=-1").statusCode());
        assertEquals(404, server.get("/api/dashboard/tickets/NOPE/T1").statusCode());
        assertEquals(404, server.get("/api/dashboard/tickets/C1/NOPE").statusCode());
        assertEquals(404, server.get("/api/dashboard/tickets?community=NOPE&kpi=kpi.timeliness&period=2026-03").statusCode());
        assertFalse(TestServer.json(server.get("/api/dashboard/communities")).toString().contains("NOPE"),
                "asking for an unknown community does not create it");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** RFC 4180: quoted cells may hold commas, quotes (doubled) and line breaks. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (ch == '\r') {
                continue;
            } else if (ch == '\n') {
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                cell.append(ch);
            }
        }
        return rows;
    }
}
