package pm.monitor.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports as a Chinese property company's software writes them: GBK CSV, UTF-8 with BOM, Excel with Chinese headers. */
class ChineseExportsTest {
    @TempDir
    Path dir;

    static final String MAPPING = """
            # 某物业 400 热线导出
            [community]
            code = C001

            [columns]
            ticket = 工单号
            received = 收到时间
            closed = 关闭时间
            category = 投诉类别
            household = 房号
            channel = 来源
            kind = 类型
            status = 状态
            summary = 内容

            [dates]
            format = yyyy/M/d H:mm
            format = yyyy-MM-dd HH:mm

            [defaults]
            kind = complaint
            channel = phone
            received-by = 前台

            [kind]
            投诉 = complaint
            报修 = repair
            咨询 = inquiry

            [category]
            房屋* = housing
            设备* = equipment
            安全* = security
            环境* = environment
            综合服务 = service
            邻里纠纷 = dispute
            地产* = developer

            [channel]
            电话 = phone
            来访 = visit
            微信 = app
            书面 = written

            [status]
            已作废 = cancelled
            处理中 = open
            """;

    /** Header, then rows 2..10: four good ones, one of each unusable kind, an unmapped category. */
    static final List<String> ROWS = List.of(
            "工单号;收到时间;关闭时间;投诉类别;房号;来源;类型;状态;内容",
            "T001;2026/3/2 9:15;2026/3/2 10:00;环境卫生;3-2-1201;电话;投诉;已关闭;楼道垃圾未清",
            "T002;2026/3/2 9:20;;设备设施;3-2-1202;来访;投诉;处理中;电梯异响",
            "T003;;2026/3/2 10:00;房屋质量;1-1-101;电话;投诉;已关闭;墙面渗水",
            "T004;2026/3/2 11:00;2026/3/2 10:00;安全管理;1-1-102;电话;投诉;已关闭;门禁损坏",
            "T005;2026/13/45 9:00;;综合服务;1-1-103;电话;投诉;已关闭;日期写错",
            "T001;2026/3/2 9:15;2026/3/2 10:00;环境卫生;3-2-1201;电话;投诉;已关闭;重复导出",
            "T006;2026/3/3 8:00;2026/3/3 8:30;宠物扰民;5-1-301;微信;投诉;处理中;楼上狗叫",
            "T007;2026/3/3 9:00;2026/3/3 9:30;;1-1-101;电话;报修;已关闭;水龙头漏水",
            "T008;2026/3/3 9:30;;综合服务;2-1-201;书面;投诉;已作废;录入错误");

    private Path write(String name, Charset charset, String delimiter, boolean bom) throws Exception {
        Path f = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(f)) {
            if (bom) {
                out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            }
            for (String line : ROWS) {
                out.write((line.replace(";", delimiter) + "\r\n").getBytes(charset));
            }
        }
        return f;
    }

    @Test
    @DisplayName("a GBK CSV with ; delimiters and Chinese headers imports; its bad rows are reported by row")
    void gbkCsv() throws Exception {
        Path f = write("导出.csv", Charset.forName("GBK"), ";", false);
        Imported r = Imported.run(f, Mapping.parse(MAPPING, "test.mapping"));
        Importer.Summary s = r.summary();

        assertTrue(s.source().contains("GBK/GB18030 (detected)") && s.source().contains("delimiter \";\" (detected)"),
                s.source());
        assertEquals(9, s.rowsRead());
        assertEquals(4, s.rowsImported());
        assertEquals(Map.of("no received time", 1, "closed before received", 1, "unparseable date", 1, "duplicate", 1,
                "cancelled", 1), s.skipped());
        assertEquals(List.of("row 4: no received time (ticket T003)",
                "row 5: closed before received (ticket T004, 关闭时间 2026-03-02T10:00:00+08:00 is before 收到时间 "
                        + "2026-03-02T11:00:00+08:00)",
                "row 6: unparseable date (ticket T005, 收到时间 \"2026/13/45 9:00\")",
                "row 7: duplicate (ticket T001 is already on row 2)",
                "row 10: cancelled (ticket T008, status \"已作废\")"),
                r.skipped().stream().map(Importer.Skipped::toString).toList());

        Map<String, Object> t1 = r.event("C001:T001:received");
        assertEquals("2026-03-02T09:15:00+08:00", t1.get("at"));
        assertEquals("complaint", t1.get("kind"));
        assertEquals("environment", t1.get("category"));
        assertEquals("3-2-1201", t1.get("household"));
        assertEquals("phone", t1.get("channel"));
        assertEquals("前台", t1.get("receivedBy"));
        assertEquals("楼道垃圾未清", t1.get("summary"));
        assertEquals("2026-03-02T10:00:00+08:00", r.event("C001:T001:closed").get("at"));
        assertEquals("visit", r.event("C001:T002:received").get("channel"));

        // 宠物扰民 is in no [category] line: the complaint is "other", and the value is counted.
        assertEquals("other", r.event("C001:T006:received").get("category"));
        assertEquals("app", r.event("C001:T006:received").get("channel"));
        assertEquals(Map.of("宠物扰民", 1), s.unmapped().get("category"));
        // Still 处理中 (open) although the export filled in a close time: no closed event.
        assertFalse(r.ndjson().contains("C001:T006:closed"));
        // A repair has no complaint category to fall back on.
        Map<String, Object> t7 = r.event("C001:T007:received");
        assertEquals("repair", t7.get("kind"));
        assertEquals("normal", t7.get("urgency"));
        assertNull(t7.get("category"));
        // No community settings beyond the code: no registration, the default zone and calendar apply.
        assertFalse(r.ndjson().contains("community.registered"));
    }

    @Test
    @DisplayName("the same export in UTF-8 with a BOM and tabs gives the same events")
    void utf8WithBom() throws Exception {
        Mapping m = Mapping.parse(MAPPING, "test.mapping");
        Imported gbk = Imported.run(write("gbk.csv", Charset.forName("GBK"), ";", false), m);
        Imported utf8 = Imported.run(write("utf8.csv", StandardCharsets.UTF_8, "\t", true),
                Mapping.parse(MAPPING, "test.mapping"));
        assertTrue(utf8.summary().source().contains("UTF-8 with BOM, delimiter tab (detected)"), utf8.summary().source());
        assertEquals(gbk.ndjson(), utf8.ndjson());
    }

    @Test
    @DisplayName("an XLSX with a title row, Chinese headers, Excel dates and text dates imports")
    void xlsx() throws Exception {
        Path f = dir.resolve("报事登记.xlsx");
        try (OutputStream out = Files.newOutputStream(f)) {
            Workbook wb = new Workbook(out, "test", "1.0");
            Worksheet ws = wb.newWorksheet("报事登记");
            ws.value(0, 0, "2026年3月 报事登记表");
            String[] header = {"收到时间", "关闭时间", "投诉类别", "房号", "来源", "类型", "内容"};
            for (int c = 0; c < header.length; c++) {
                ws.value(1, c, header[c]);
            }
            // row 3: Excel dates (numbers with a date format); the room typed as a number
            ws.value(2, 0, LocalDateTime.of(2026, 3, 2, 9, 15));
            ws.style(2, 0).format("yyyy/m/d h:mm").set();
            ws.value(2, 1, LocalDateTime.of(2026, 3, 2, 17, 40));
            ws.style(2, 1).format("yyyy-mm-dd hh:mm").set();
            ws.value(2, 2, "房屋质量");
            ws.value(2, 3, 1201);
            ws.value(2, 4, "电话");
            ws.value(2, 5, "投诉");
            ws.value(2, 6, "天花板渗水");
            // row 4: dates as text, as many exports write them
            ws.value(3, 0, "2026-03-02 10:30");
            ws.value(3, 2, "邻里纠纷");
            ws.value(3, 3, "3-2-1201");
            ws.value(3, 4, "来访");
            ws.value(3, 5, "投诉");
            // row 5: no received time
            ws.value(4, 1, LocalDateTime.of(2026, 3, 2, 12, 0));
            ws.style(4, 1).format("yyyy-mm-dd hh:mm").set();
            ws.value(4, 2, "环境卫生");
            ws.value(4, 3, "5-1-301");
            // row 6: closed before received
            ws.value(5, 0, LocalDateTime.of(2026, 3, 3, 9, 0));
            ws.style(5, 0).format("yyyy-mm-dd hh:mm").set();
            ws.value(5, 1, LocalDateTime.of(2026, 3, 3, 8, 0));
            ws.style(5, 1).format("yyyy-mm-dd hh:mm").set();
            ws.value(5, 2, "设备设施");
            ws.value(5, 3, "2-2-202");
            wb.finish();
        }
        String mapping = MAPPING.replace("[community]", "[source]\nheader-row = 2\nsheet = 报事登记\n\n[community]")
                .replace("ticket = 工单号\n", "").replace("status = 状态\n", "");
        Imported r = Imported.run(f, Mapping.parse(mapping, "test.mapping"));
        Importer.Summary s = r.summary();

        assertEquals("XLSX, sheet \"报事登记\"", s.source());
        assertEquals(4, s.rowsRead());
        assertEquals(Map.of("no received time", 1, "closed before received", 1), s.skipped());
        assertEquals(List.of(5, 6), r.skipped().stream().map(Importer.Skipped::row).toList(), "Excel's row numbers");

        // With no id column a ticket is named by its row's content, so a re-import names it alike.
        Map<String, Object> first = r.events().stream().filter(e -> e.type().equals("ticket.received")).findFirst()
                .map(e -> r.event(e.id())).orElseThrow();
        assertEquals("2026-03-02T09:15:00+08:00", first.get("at"));
        assertEquals("housing", first.get("category"));
        assertEquals("1201", first.get("household"));
        assertEquals("天花板渗水", first.get("summary"));
        assertTrue(((String) first.get("ticket")).startsWith("row-"));
        assertEquals("2026-03-02T17:40:00+08:00", r.event("C001:" + first.get("ticket") + ":closed").get("at"));

        Map<String, Object> second = r.events().stream().filter(e -> e.type().equals("ticket.received")).skip(1)
                .findFirst().map(e -> r.event(e.id())).orElseThrow();
        assertEquals("2026-03-02T10:30:00+08:00", second.get("at"));
        assertEquals("dispute", second.get("category"));
        assertEquals("visit", second.get("channel"));
    }

    @Test
    @DisplayName("a mapping's problems are all reported with their lines; a column the file lacks names the columns it has")
    void mappingProblems() throws Exception {
        MappingException e = assertThrows(MappingException.class, () -> Mapping.parse("""
                [community]
                code = C001
                [columns]
                received = 收到时间
                colour = 颜色
                [category]
                环境* = environmental
                [defaults]
                kind = complaint
                channel = phone
                """, "bad.mapping"));
        assertEquals(List.of("bad.mapping:5: unknown key \"colour\" in [columns] (known: building, category, channel, "
                        + "closed, contacted, dispatched, dispatched-to, household, incident, kind, location, persons, received, "
                        + "received-by, replied, resolved, status, summary, ticket, urgency, validity)",
                "bad.mapping:7: unknown category \"environmental\" (one of housing, equipment, security, environment, "
                        + "service, dispute, developer, other)"), e.problems());

        Path f = write("gbk.csv", Charset.forName("GBK"), ";", false);
        MappingException missing = assertThrows(MappingException.class, () -> Imported.run(f,
                Mapping.parse(MAPPING.replace("household = 房号", "household = 房间号"), "m.mapping")));
        assertEquals(List.of("m.mapping:10: no column \"房间号\" in the file (its columns: 工单号, 收到时间, 关闭时间, "
                + "投诉类别, 房号, 来源, 类型, 状态, 内容)"), missing.problems());
    }

    @Test
    @DisplayName("Issue 17.8: a mapping's community code follows the one pattern of community codes")
    void mappingCommunityCode() {
        for (String code : List.of("南山一号", "C001,C002", "*")) {
            MappingException e = assertThrows(MappingException.class, () -> Mapping.parse(MAPPING.replaceFirst(
                    "code = [^\\n]*", "code = " + java.util.regex.Matcher.quoteReplacement(code)), "m.mapping"));
            assertEquals(1, e.problems().size(), e.problems().toString());
            assertTrue(e.problems().get(0).contains("code: ") && e.problems().get(0).contains("a community code is"),
                    e.problems().toString());
        }
    }
}
