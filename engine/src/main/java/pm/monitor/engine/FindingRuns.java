package pm.monitor.engine;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;

/**
 * Findings written to disk in sorted runs (one per bucket of a streaming replay) and merged
 * into one output in {@link Replay#ORDER}: by time, community, rule, subject, kind. Equal keys
 * come from one community, so from one run, where they keep the order they were made in: the
 * merge gives exactly the order the in-memory replay's sort gave.
 */
final class FindingRuns implements AutoCloseable {

    private final Path dir;
    private final List<Path> runs = new ArrayList<>();
    private long findings;

    FindingRuns(Path dir) {
        this.dir = dir;
    }

    /** Writes one run: {@code sorted} must be in {@link Replay#ORDER}. */
    void add(List<Finding> sorted) {
        Path file = dir.resolve("findings-" + runs.size());
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            for (Finding f : sorted) {
                o.writeLong(f.at().getEpochSecond());
                o.writeInt(f.at().getNano());
                o.writeUTF(f.community());
                o.writeUTF(f.rule());
                o.writeUTF(f.subject());
                o.writeUTF(f.kind());
                byte[] json = Json.line(f).getBytes(StandardCharsets.UTF_8);
                o.writeInt(json.length);
                o.write(json);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        runs.add(file);
        findings += sorted.size();
    }

    long findings() {
        return findings;
    }

    /** Writes every run's findings to {@code out}, one JSON line each, in order. */
    void mergeTo(Writer out) throws IOException {
        PriorityQueue<Head> heads = new PriorityQueue<>();
        List<DataInputStream> ins = new ArrayList<>();
        try {
            for (int i = 0; i < runs.size(); i++) {
                DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(runs.get(i)), 1 << 16));
                ins.add(in);
                Head h = Head.next(in, i);
                if (h != null) {
                    heads.add(h);
                }
            }
            Head h;
            while ((h = heads.poll()) != null) {
                out.write(h.json);
                out.write('\n');
                Head n = Head.next(ins.get(h.run), h.run);
                if (n != null) {
                    heads.add(n);
                }
            }
        } finally {
            for (DataInputStream in : ins) {
                in.close();
            }
        }
    }

    /** The next finding of a run, with its sort key. */
    private record Head(Instant at, String community, String rule, String subject, String kind, String json, int run)
            implements Comparable<Head> {

        static Head next(DataInputStream in, int run) throws IOException {
            long seconds;
            try {
                seconds = in.readLong();
            } catch (EOFException end) {
                return null;
            }
            Instant at = Instant.ofEpochSecond(seconds, in.readInt());
            String community = in.readUTF();
            String rule = in.readUTF();
            String subject = in.readUTF();
            String kind = in.readUTF();
            byte[] json = new byte[in.readInt()];
            in.readFully(json);
            return new Head(at, community, rule, subject, kind, new String(json, StandardCharsets.UTF_8), run);
        }

        @Override
        public int compareTo(Head o) {
            int c = at.compareTo(o.at);
            if (c == 0) {
                c = community.compareTo(o.community);
            }
            if (c == 0) {
                c = rule.compareTo(o.rule);
            }
            if (c == 0) {
                c = subject.compareTo(o.subject);
            }
            if (c == 0) {
                c = kind.compareTo(o.kind);
            }
            // equal keys are of one community, hence one run: the run keeps their order, and
            // the queue holds one head per run, so they come out in it
            return c != 0 ? c : Integer.compare(run, o.run);
        }
    }

    @Override
    public void close() {
        for (Path p : runs) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // temporary
            }
        }
    }
}
