package pm.monitor.importer;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Sheet;

/**
 * An Excel workbook (XLSX), one sheet streamed row by row with fastexcel-reader, so a large
 * sheet is never held whole. A cell Excel stores as a date (a number with a date format) comes
 * as the local date-time it shows; everything else as the text it holds, numbers without a
 * trailing ".0" (a room or ticket number typed as a number is still "1201").
 */
final class XlsxTable implements Table {
    private final ReadableWorkbook workbook;
    private final Stream<org.dhatim.fastexcel.reader.Row> stream;
    private final Iterator<org.dhatim.fastexcel.reader.Row> rows;
    private final List<String> header;
    private final String description;
    private final int width;

    private XlsxTable(ReadableWorkbook workbook, Stream<org.dhatim.fastexcel.reader.Row> stream,
                      Iterator<org.dhatim.fastexcel.reader.Row> rows, List<String> header, String description) {
        this.workbook = workbook;
        this.stream = stream;
        this.rows = rows;
        this.header = header;
        this.description = description;
        this.width = header.size();
    }

    static XlsxTable open(Path file, Mapping mapping) throws IOException {
        ReadableWorkbook wb = new ReadableWorkbook(file.toFile(), new ReadingOptions(true, false));
        try {
            Sheet sheet = sheet(wb, mapping.sheet);
            Stream<org.dhatim.fastexcel.reader.Row> stream = sheet.openStream();
            Iterator<org.dhatim.fastexcel.reader.Row> it = stream.iterator();
            List<String> header = null;
            while (it.hasNext()) {
                org.dhatim.fastexcel.reader.Row r = it.next();
                if (r.getRowNum() < mapping.headerRow) {
                    continue;
                }
                if (r.getRowNum() == mapping.headerRow) {
                    header = new ArrayList<>();
                    for (int i = 0; i < r.getCellCount(); i++) {
                        header.add(text(r.getOptionalCell(i).orElse(null)).strip());
                    }
                }
                break;
            }
            if (header == null) {
                stream.close();
                throw new IOException("sheet \"" + sheet.getName() + "\" has no header row " + mapping.headerRow);
            }
            return new XlsxTable(wb, stream, it, header, "XLSX, sheet \"" + sheet.getName() + "\"");
        } catch (IOException | RuntimeException e) {
            wb.close();
            throw e;
        }
    }

    private static Sheet sheet(ReadableWorkbook wb, String wanted) throws IOException {
        if (wanted == null) {
            return wb.getFirstSheet();
        }
        if (wanted.matches("\\d+")) {
            return wb.getSheet(Integer.parseInt(wanted) - 1)
                    .orElseThrow(() -> new IOException("the workbook has no sheet number " + wanted));
        }
        return wb.findSheet(wanted).orElseThrow(() -> new IOException("the workbook has no sheet \"" + wanted + "\""));
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public Row next() {
        if (!rows.hasNext()) {
            return null;
        }
        org.dhatim.fastexcel.reader.Row r = rows.next();
        String[] values = new String[width];
        LocalDateTime[] dates = new LocalDateTime[width];
        for (int i = 0; i < width; i++) {
            Cell c = r.getOptionalCell(i).orElse(null);
            if (c != null && c.getType() == CellType.NUMBER
                    && (isBuiltInDate(c.getDataFormatId()) || isDateFormat(c.getDataFormatString()))) {
                dates[i] = c.asDate();
                values[i] = dates[i].toString();
            } else {
                values[i] = text(c);
            }
        }
        return new Row(r.getRowNum(), 0, values, dates);
    }

    private static String text(Cell c) {
        if (c == null || c.getType() == CellType.EMPTY) {
            return "";
        }
        if (c.getType() == CellType.NUMBER) {
            BigDecimal n = c.asNumber();
            return n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString();
        }
        String t = c.getText();
        return t == null ? "" : t;
    }

    /**
     * Excel's built-in date and time formats, which a workbook names by id only: 14–22 and 45–47
     * everywhere, 27–36 and 50–58 in Chinese, Japanese and Korean Excel (e.g. 31,
     * {@code yyyy"年"m"月"d"日"}), as ECMA-376 part 1, 18.8.30 lists them.
     */
    static boolean isBuiltInDate(Integer id) {
        return id != null && ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47)
                || (id >= 50 && id <= 58));
    }

    /**
     * Whether a number format shows a date or time: it has a date or time letter outside quoted
     * text, {@code [...]} sections (colours, locales) and escaped characters. "General" and
     * "0.00" have none.
     */
    static boolean isDateFormat(String format) {
        if (format == null) {
            return false;
        }
        boolean quoted = false;
        int bracket = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (quoted) {
                continue;
            } else if (c == '\\' || c == '_' || c == '*') {
                i++;
            } else if (c == '[') {
                bracket++;
            } else if (c == ']') {
                bracket = Math.max(0, bracket - 1);
            } else if (bracket == 0 && "yYmMdDhHsS".indexOf(c) >= 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() throws IOException {
        stream.close();
        workbook.close();
    }
}
