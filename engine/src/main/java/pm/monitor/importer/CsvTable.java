package pm.monitor.importer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A delimited text export, read with Commons CSV: RFC 4180 quoting, quoted fields that span
 * lines (the SF log's free-text notes do), doubled quotes. The encoding and the delimiter are
 * the mapping's, or detected: the delimiter is the one of {@code , ; TAB |} that the header line
 * holds most often outside quotes (a header of one column reads the same with any of them).
 */
final class CsvTable implements Table {
    private static final char[] CANDIDATES = {',', ';', '\t', '|'};

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;
    private final String description;
    private long lastLine;

    private CsvTable(CSVParser parser, List<String> header, long lastLine, String description) {
        this.parser = parser;
        this.records = parser.iterator();
        this.header = header;
        this.lastLine = lastLine;
        this.description = description;
    }

    static CsvTable open(Path file, Mapping mapping) throws IOException {
        Encodings.Detected enc = Encodings.detect(file, mapping.encoding);
        InputStream in = Files.newInputStream(file);
        in.skipNBytes(enc.bom());
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, enc.charset()), 1 << 16);
        try {
            char delimiter = mapping.delimiter != null ? mapping.delimiter : detect(reader, mapping.headerRow);
            CSVParser parser = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setIgnoreEmptyLines(false).get()
                    .parse(reader);
            Iterator<CSVRecord> it = parser.iterator();
            List<String> header = null;
            for (int row = 1; row <= mapping.headerRow; row++) {
                if (!it.hasNext()) {
                    break;
                }
                CSVRecord r = it.next();
                if (row == mapping.headerRow) {
                    header = new ArrayList<>();
                    for (String h : r) {
                        header.add(h.replace("\uFEFF", "").strip());
                    }
                }
            }
            if (header == null) {
                parser.close();
                throw new IOException("no header row " + mapping.headerRow + " (the file has fewer rows)");
            }
            String name = enc.charset().equals(Encodings.GB18030) ? "GBK/GB18030" : enc.charset().name();
            String description = "CSV, " + name + (enc.guessed() ? " (detected)" : "") + (enc.bom() > 0 ? " with BOM" : "")
                    + ", delimiter " + (delimiter == '\t' ? "tab" : "\"" + delimiter + "\"")
                    + (mapping.delimiter == null ? " (detected)" : "");
            return new CsvTable(parser, header, parser.getCurrentLineNumber(), description);
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    private static char detect(BufferedReader reader, int headerRow) throws IOException {
        reader.mark(1 << 20);
        String line = null;
        for (int i = 0; i < headerRow; i++) {
            line = reader.readLine();
            if (line == null) {
                break;
            }
        }
        reader.reset();
        if (line == null) {
            return ',';
        }
        int[] counts = new int[CANDIDATES.length];
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            for (int k = 0; k < CANDIDATES.length && !quoted; k++) {
                if (c == CANDIDATES[k]) {
                    counts[k]++;
                }
            }
        }
        int best = 0;
        for (int k = 1; k < CANDIDATES.length; k++) {
            if (counts[k] > counts[best]) {
                best = k;
            }
        }
        return CANDIDATES[best];
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public Row next() throws IOException {
        try {
            if (!records.hasNext()) {
                return null;
            }
            CSVRecord r = records.next();
            long start = lastLine + 1;
            lastLine = parser.getCurrentLineNumber();
            return new Row((int) r.getRecordNumber(), start, r.values(), null);
        } catch (UncheckedIOException e) {
            // A quote left open swallows the rest of the file: nothing after it can be told apart.
            throw new IOException("unreadable after line " + lastLine + ": " + e.getCause().getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
