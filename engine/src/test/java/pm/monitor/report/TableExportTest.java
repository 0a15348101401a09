package pm.monitor.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Json;

class TableExportTest {
    @Test
    @DisplayName("CSV: BOM, title and filters, a blank line, the table; a cell that would be a formula is made text")
    void csvWithFilters() throws Exception {
        TableExport t = TableExport.of(Json.parse("{\"title\":\"人员\",\"filters\":[[\"期间\",\"2026-03\"]],"
                + "\"headers\":[\"工号\",\"受理\"],\"rows\":[[\"=HYPERLINK(1)\",\"3\"],[\"a,b\",\"4\"]]}"));
        StringWriter w = new StringWriter();
        t.writeCsv(w);
        assertEquals("\uFEFF人员\r\n期间,2026-03\r\n\r\n工号,受理\r\n'=HYPERLINK(1),3\r\n\"a,b\",4\r\n", w.toString());
    }

    @Test
    @DisplayName("a body that is not a table is refused with what is wrong")
    void refusesWhatIsNotATable() {
        assertThrows(IllegalArgumentException.class, () -> TableExport.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> TableExport.of(Map.of("headers", List.of(), "rows", List.of())));
        assertThrows(IllegalArgumentException.class, () -> TableExport.of(Map.of("headers", List.of("a"), "rows", "x")));
        assertThrows(IllegalArgumentException.class, () -> TableExport.of(Map.of("headers", List.of("a"), "rows", List.of(),
                "filters", List.of(List.of("only a label")))));
    }

    @Test
    @DisplayName("sheet and file names are ones Excel and browsers accept")
    void names() {
        assertEquals("a b c", TableExport.sheetName("a[b]c"));
        assertEquals(31, TableExport.sheetName("x".repeat(40)).length());
        assertEquals("人员与岗位-按人员-C0001-2026-03.csv",
                new TableExport("人员与岗位-按人员-C0001-2026-03", List.of(), List.of("a"), List.of()).fileName("csv"));
    }
}
