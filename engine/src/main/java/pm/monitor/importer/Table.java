package pm.monitor.importer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;

/** The rows of one export, CSV or XLSX, read one at a time after the header. */
interface Table extends AutoCloseable {

    /**
     * One data row. {@code number} is the row as a spreadsheet shows it (the header row is 1,
     * or {@code header-row}); {@code line} is the text line it starts on (CSV; a quoted field
     * can span lines), 0 for XLSX. {@code dates} holds the cells a workbook stores as dates,
     * null elsewhere and for CSV.
     */
    record Row(int number, long line, String[] values, LocalDateTime[] dates) {
        String value(int column) {
            return column < values.length && values[column] != null ? values[column] : "";
        }

        LocalDateTime date(int column) {
            return dates != null && column < dates.length ? dates[column] : null;
        }

        boolean blank() {
            for (String v : values) {
                if (v != null && !v.isBlank()) {
                    return false;
                }
            }
            return dates == null || java.util.Arrays.stream(dates).allMatch(java.util.Objects::isNull);
        }
    }

    List<String> header();

    /** The next row, or null at the end. */
    Row next() throws IOException;

    /** What was read, for the summary: format, encoding, delimiter or sheet. */
    String describe();

    @Override
    void close() throws IOException;

    static Table open(Path file, Mapping mapping) throws IOException {
        String format = mapping.format;
        if (format == null) {
            format = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xlsx") ? "xlsx" : "csv";
        }
        return format.equals("xlsx") ? XlsxTable.open(file, mapping) : CsvTable.open(file, mapping);
    }
}
