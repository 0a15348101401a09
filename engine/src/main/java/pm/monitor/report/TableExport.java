package pm.monitor.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * Any table the dashboard shows, as the page shows it (its headings, rows and the filters it was
 * drawn with), written as CSV (UTF-8 with a byte-order mark, so that Excel reads the Chinese) or
 * XLSX. The page sends what it drew, so the file cannot differ from the screen. Counts and
 * percentages become numbers in XLSX; everything else stays text, never a formula.
 */
public record TableExport(String title, List<List<String>> filters, List<String> headers, List<List<String>> rows) {
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,15}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,12}\\.\\d{1,6}");
    private static final Pattern PERCENT = Pattern.compile("(▼\\s*)?(-?\\d{1,3}(\\.\\d{1,4})?)%");
    private static final int MAX_ROWS = 100_000;
    private static final int MAX_COLUMNS = 200;

    /** Reads the page's JSON: {@code title}, {@code filters} ([label, value] pairs), {@code headers}, {@code rows}. */
    @SuppressWarnings("unchecked")
    public static TableExport of(Object json) {
        if (!(json instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("expected a JSON object with title, filters, headers and rows");
        }
        Object title = m.get("title");
        List<String> headers = strings(m.get("headers"), "headers");
        if (headers.isEmpty() || headers.size() > MAX_COLUMNS) {
            throw new IllegalArgumentException("headers must name 1 to " + MAX_COLUMNS + " columns");
        }
        List<List<String>> rows = new ArrayList<>();
        if (!(m.get("rows") instanceof List<?> list) || list.size() > MAX_ROWS) {
            throw new IllegalArgumentException("rows must be a list of at most " + MAX_ROWS + " rows");
        }
        for (Object r : list) {
            rows.add(strings(r, "a row"));
        }
        List<List<String>> filters = new ArrayList<>();
        if (m.get("filters") instanceof List<?> fs) {
            for (Object f : fs) {
                List<String> pair = strings(f, "a filter");
                if (pair.size() != 2) {
                    throw new IllegalArgumentException("a filter is [label, value]");
                }
                filters.add(pair);
            }
        }
        return new TableExport(title == null ? "table" : title.toString(), filters, headers, rows);
    }

    private static List<String> strings(Object o, String what) {
        if (!(o instanceof List<?> list)) {
            throw new IllegalArgumentException(what + " must be a list");
        }
        List<String> out = new ArrayList<>();
        for (Object x : list) {
            out.add(x == null ? "" : x.toString());
        }
        return out;
    }

    /** CSV (RFC 4180) with a byte-order mark: the filters (label, value) first, a blank line, then the table. */
    public void writeCsv(Writer w) throws IOException {
        w.write('\uFEFF');
        line(w, List.of(title));
        for (List<String> f : filters) {
            line(w, f);
        }
        w.write("\r\n");
        line(w, headers);
        for (List<String> r : rows) {
            line(w, r);
        }
        w.flush();
    }

    private static void line(Writer w, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                w.write(',');
            }
            w.write(MonthlyReport.csv(cells.get(i)));
        }
        w.write("\r\n");
    }

    /** XLSX: the table on the first sheet, the title and filters on the second. */
    public void writeXlsx(OutputStream os, boolean english) throws IOException {
        Workbook wb = new Workbook(os, "pm-monitor", "1.0");
        Worksheet ws = wb.newWorksheet(sheetName(title));
        for (int c = 0; c < headers.size(); c++) {
            ws.value(0, c, headers.get(c));
            ws.style(0, c).bold().wrapText(true).set();
            ws.width(c, 14);
        }
        ws.freezePane(1, 1);
        for (int i = 0; i < rows.size(); i++) {
            List<String> r = rows.get(i);
            for (int c = 0; c < r.size() && c < headers.size(); c++) {
                String v = r.get(c).trim();
                var p = PERCENT.matcher(v);
                if (INTEGER.matcher(v).matches()) {
                    ws.value(i + 1, c, Long.parseLong(v));
                } else if (DECIMAL.matcher(v).matches()) {
                    ws.value(i + 1, c, Double.parseDouble(v));
                } else if (p.matches()) {
                    ws.value(i + 1, c, Double.parseDouble(p.group(2)) / 100);
                    var style = ws.style(i + 1, c).format("0.0%");
                    if (p.group(1) != null) {
                        style = style.fontColor("C00000").bold(); // ▼: under target, as on the page
                    }
                    style.set();
                } else if (!v.isEmpty()) {
                    ws.value(i + 1, c, v);
                }
            }
        }
        Worksheet notes = wb.newWorksheet(english ? "Filters" : "筛选条件");
        notes.value(0, 0, title);
        notes.style(0, 0).bold().set();
        for (int i = 0; i < filters.size(); i++) {
            notes.value(i + 1, 0, filters.get(i).get(0));
            notes.value(i + 1, 1, filters.get(i).get(1));
        }
        notes.width(0, 24);
        notes.width(1, 40);
        wb.finish();
    }

    /** A sheet name Excel accepts: at most 31 characters, none of []:*?/\ . */
    static String sheetName(String title) {
        String s = title.replaceAll("[\\[\\]:*?/\\\\]", " ").trim();
        return s.isEmpty() ? "table" : s.length() > 31 ? s.substring(0, 31) : s;
    }

    /** A file name from the title: letters, digits, CJK and dashes. */
    public String fileName(String ext) {
        String s = title.replaceAll("[^\\p{L}\\p{N}-]+", "-").replaceAll("^-+|-+$", "");
        return (s.isEmpty() ? "table" : s) + "." + ext;
    }
}
