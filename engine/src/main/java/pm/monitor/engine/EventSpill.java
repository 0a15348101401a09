package pm.monitor.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import pm.monitor.event.Timestamps;

/**
 * The first pass of a streaming replay (issue 21): an NDJSON file split, without parsing it
 * into events, into a few temporary files ("buckets") that each hold every line of some
 * communities, in input order. Communities share nothing, so each bucket can then be parsed
 * and evaluated on its own, and a replay holds one bucket's events at a time instead of the
 * whole file: memory is set by the bucket size, not by the number of events.
 *
 * <p>Each line is only scanned for its top-level {@code community} and {@code at} (a token
 * scan: no event is built); a line whose community cannot be read goes to a bucket of its own
 * kind and is rejected, with its line number, when the bucket is parsed. Communities go to
 * buckets in the order they first appear, in turn, so that communities of similar size fill
 * the buckets evenly. Each bucket remembers the latest {@code at} scanned in it, which lets
 * the replay find the last event's time (where the clock runs to) without parsing everything
 * first.
 */
public final class EventSpill implements AutoCloseable {

    /**
     * Text per bucket aimed at: about 200,000 events, a few hundred MB once parsed; two are held
     * at once (one evaluated, the next parsed), and a replay of any size runs in a 1 GB heap.
     */
    public static final long BUCKET_BYTES = 32L << 20;
    /** Open files stay well under a default descriptor limit (1,024). */
    public static final int MAX_BUCKETS = 512;
    private static final int CHUNK = 8192;
    private static final JsonFactory JSON = new JsonFactory();

    /** One temporary file of lines; {@code latest}: the latest time scanned in it (null if none). */
    public static final class Bucket {
        final Path file;
        Instant latest;
        long lines;

        Bucket(Path file) {
            this.file = file;
        }

        public Instant latest() {
            return latest;
        }

        public long lines() {
            return lines;
        }

        /** The lines of the bucket, in input order, with their line numbers. */
        public Lines read() {
            List<String> texts = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, lines));
            int[] numbers = new int[(int) lines];
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
                for (int i = 0; i < lines; i++) {
                    numbers[i] = in.readInt();
                    byte[] b = new byte[in.readInt()];
                    in.readFully(b);
                    texts.add(new String(b, StandardCharsets.UTF_8));
                }
            } catch (EOFException e) {
                throw new IllegalStateException("temporary file " + file + " is shorter than written", e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Lines(texts, numbers);
        }
    }

    /** A bucket's lines and their line numbers in the input. */
    public record Lines(List<String> texts, int[] numbers) {
    }

    private final Path dir;
    private final List<Bucket> buckets = new ArrayList<>();
    private final List<DataOutputStream> outs = new ArrayList<>();
    private final Map<String, Integer> bucketOf = new HashMap<>();
    private int nextBucket;
    private long lines;
    private long blank;

    private EventSpill(Path dir, int count) throws IOException {
        this.dir = dir;
        for (int i = 0; i < count; i++) {
            Bucket b = new Bucket(dir.resolve("bucket-" + i));
            buckets.add(b);
            outs.add(new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(b.file), 1 << 16)));
        }
    }

    /** How many buckets for an input of {@code bytes} (negative: unknown, e.g. stdin). */
    public static int bucketsFor(long bytes) {
        if (bytes < 0) {
            return 64;
        }
        return (int) Math.max(1, Math.min(MAX_BUCKETS, (bytes + BUCKET_BYTES - 1) / BUCKET_BYTES));
    }

    /**
     * Splits {@code in} into {@code count} buckets in a new temporary folder under {@code tmp},
     * scanning chunks of lines on {@code pool} while the next chunk is read.
     */
    public static EventSpill split(BufferedReader in, int count, Path tmp, ExecutorService pool) throws IOException {
        EventSpill spill = new EventSpill(Files.createTempDirectory(tmp, "monitor-replay-"), count);
        try {
            spill.fill(in, pool);
            return spill;
        } catch (IOException | RuntimeException e) {
            spill.close();
            throw e;
        }
    }

    private record Scanned(String[] community, Instant[] at) {
    }

    private void fill(BufferedReader in, ExecutorService pool) throws IOException {
        ArrayDeque<Object[]> pending = new ArrayDeque<>(); // {lines, first line number, future}
        int lineNo = 0;
        while (true) {
            List<String> chunk = new ArrayList<>(CHUNK);
            int first = lineNo + 1;
            String line;
            while (chunk.size() < CHUNK && (line = in.readLine()) != null) {
                chunk.add(line);
                lineNo++;
            }
            if (!chunk.isEmpty()) {
                List<String> texts = chunk;
                pending.add(new Object[] {texts, first, pool.submit(() -> scan(texts))});
            }
            // keep a few chunks in flight so both cores scan while this thread reads and writes
            while (!pending.isEmpty() && (pending.size() > 3 || chunk.isEmpty())) {
                Object[] p = pending.poll();
                @SuppressWarnings("unchecked") List<String> texts = (List<String>) p[0];
                @SuppressWarnings("unchecked") Future<Scanned> f = (Future<Scanned>) p[2];
                write(texts, (Integer) p[1], get(f));
            }
            if (chunk.isEmpty()) {
                break;
            }
        }
        for (DataOutputStream o : outs) {
            o.close();
        }
        outs.clear();
    }

    private static Scanned get(Future<Scanned> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private void write(List<String> texts, int first, Scanned s) throws IOException {
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text.isBlank()) {
                blank++;
                continue;
            }
            String community = s.community()[i] == null ? "" : s.community()[i];
            Integer b = bucketOf.get(community);
            if (b == null) {
                b = nextBucket++ % buckets.size();
                bucketOf.put(community, b);
            }
            Bucket bucket = buckets.get(b);
            Instant at = s.at()[i];
            if (at != null && (bucket.latest == null || at.isAfter(bucket.latest))) {
                bucket.latest = at;
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            DataOutputStream o = outs.get(b);
            o.writeInt(first + i);
            o.writeInt(bytes.length);
            o.write(bytes);
            bucket.lines++;
            lines++;
        }
    }

    /** Each line's top-level community and time, where they can be read (else null). */
    private static Scanned scan(List<String> texts) {
        String[] community = new String[texts.size()];
        Instant[] at = new Instant[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text.isBlank()) {
                continue;
            }
            try (JsonParser p = JSON.createParser(text)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    continue;
                }
                String c = null;
                String a = null;
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (v == JsonToken.VALUE_STRING && "community".equals(name)) {
                        c = p.getText();
                    } else if (v == JsonToken.VALUE_STRING && "at".equals(name)) {
                        a = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
                community[i] = c;
                if (a != null) {
                    try {
                        at[i] = Timestamps.parse(a);
                    } catch (RuntimeException bad) {
                        // rejected with its reason when the bucket is parsed
                    }
                }
            } catch (IOException malformed) {
                // the same: the full parse of the bucket says what is wrong, at its line
            }
        }
        return new Scanned(community, at);
    }

    /** The temporary folder (removed by {@link #close}). */
    public Path dir() {
        return dir;
    }

    public List<Bucket> buckets() {
        return buckets;
    }

    /**
     * The buckets with lines, latest scanned time first: the order a replay evaluates them in,
     * so that the end of the clock is found parsing as few as can be ({@link StreamReplay#end}).
     */
    public List<Bucket> latestFirst() {
        List<Bucket> order = new ArrayList<>(buckets);
        order.removeIf(b -> b.lines() == 0);
        order.sort(java.util.Comparator.comparing(Bucket::latest,
                java.util.Comparator.nullsLast(java.util.Comparator.reverseOrder())));
        return order;
    }

    /** Non-blank lines written. */
    public long lines() {
        return lines;
    }

    /** Removes the temporary files. */
    @Override
    public void close() {
        for (DataOutputStream o : outs) {
            try {
                o.close();
            } catch (IOException ignored) {
                // being removed anyway
            }
        }
        for (Bucket b : buckets) {
            try {
                Files.deleteIfExists(b.file);
            } catch (IOException ignored) {
                // a temporary file left behind is no reason to fail a replay that succeeded
            }
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // as above
        }
    }
}
