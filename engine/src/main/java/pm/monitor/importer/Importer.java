package pm.monitor.importer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Imports one export: reads every row, maps it to events or skips it with its reason, and hands
 * the events to an {@link Output} in event-time order, the community's registration first.
 *
 * <p>The events are sorted before they leave because exports are not in time order (the SF log
 * is not) and {@code serve} takes an event older than a community's clock as if it came now:
 * sent unsorted, the same events would give other findings live than in {@code replay}, which
 * sorts. Sorting needs every event in memory, a few hundred bytes each.
 */
public final class Importer {

    /** A row left out, with where it is and why. */
    public record Skipped(int row, long line, String reason, String detail) {
        public String where() {
            return "row " + row + (line > 0 && line != row ? " (line " + line + ")" : "");
        }

        @Override
        public String toString() {
            return where() + ": " + reason + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    /** An event the receiver refused, with the row it came from. */
    public record Rejected(int row, String id, String field, String reason) {
        @Override
        public String toString() {
            return "row " + row + ": event " + id + " refused" + (field == null ? "" : ", field " + field) + ": " + reason;
        }
    }

    /** Where the events go: an NDJSON file, or a running serve. */
    public interface Output {
        /** One event as a JSON line, and the row it came from (0 for the registration). */
        void accept(String json, int row) throws IOException;

        /** Sends what is left and says what the receiver made of it all. */
        Delivery finish() throws IOException;
    }

    /** What the receiver made of the events: a file takes them all; serve counts duplicates and refusals. */
    public record Delivery(long accepted, long duplicates, List<Rejected> rejected) {
    }

    /** What the import is doing, now and then, and each row it leaves out. */
    public interface Listener {
        void progress(String message);

        void skipped(Skipped s);
    }

    public record Summary(String file, String source, long rowsRead, long rowsImported, Map<String, Integer> skipped,
                          Map<String, Integer> eventsByType, long eventsWritten, Delivery delivery,
                          Map<String, Map<String, Integer>> unmapped, double seconds) {
        public long rowsSkipped() {
            return skipped.values().stream().mapToLong(Integer::longValue).sum();
        }

        public double rowsPerSecond() {
            return rowsRead / Math.max(seconds, 1e-9);
        }
    }

    private static final long PROGRESS_NANOS = 1_000_000_000L;

    public Summary run(Path file, Mapping mapping, Output out, Listener listener) throws IOException {
        long start = System.nanoTime();
        List<RowMapper.Out> events = new ArrayList<>();
        Map<String, Integer> skipped = new LinkedHashMap<>();
        long rows = 0;
        long imported = 0;
        String source;
        RowMapper mapper;
        try (Table table = Table.open(file, mapping)) {
            source = table.describe();
            mapper = new RowMapper(mapping, table.header());
            long lastReport = start;
            Table.Row row;
            while ((row = table.next()) != null) {
                rows++;
                RowMapper.Skip s = mapper.map(row, events);
                if (s != null) {
                    skipped.merge(s.reason(), 1, Integer::sum);
                    listener.skipped(new Skipped(row.number(), row.line(), s.reason(), s.detail()));
                } else {
                    imported++;
                }
                if ((rows & 1023) == 0) {
                    long now = System.nanoTime();
                    if (now - lastReport >= PROGRESS_NANOS) {
                        lastReport = now;
                        listener.progress(String.format("%d rows read, %d skipped (%.0f rows/s)", rows,
                                rows - imported, rows / ((now - start) / 1e9)));
                    }
                }
            }
        }

        events.sort(Comparator.comparingLong(RowMapper.Out::at).thenComparingInt(RowMapper.Out::row)
                .thenComparingInt(RowMapper.Out::step));
        Map<String, Integer> byType = new TreeMap<>();
        long written = 0;
        if (mapping.register && !events.isEmpty()) {
            out.accept(mapper.registration(Instant.ofEpochMilli(events.get(0).at())), 0);
            byType.merge("community.registered", 1, Integer::sum);
            written++;
        }
        long lastReport = System.nanoTime();
        for (RowMapper.Out e : events) {
            out.accept(e.json(), e.row());
            byType.merge(RowMapper.type(e.step()), 1, Integer::sum);
            written++;
            if ((written & 4095) == 0 && System.nanoTime() - lastReport >= PROGRESS_NANOS) {
                lastReport = System.nanoTime();
                listener.progress(String.format("%d of %d events sent", written, events.size()));
            }
        }
        Delivery delivery = out.finish();
        Map<String, Map<String, Integer>> unmapped = new TreeMap<>();
        mapper.unmapped().forEach((field, values) -> unmapped.put(field, RowMapper.ordered(values)));
        return new Summary(file.toString(), source, rows, imported, RowMapper.ordered(skipped), byType, written,
                delivery, unmapped, (System.nanoTime() - start) / 1e9);
    }
}
