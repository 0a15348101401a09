package pm.monitor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.bench.Generator;
import pm.monitor.event.Rejection;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;
import pm.monitor.finding.Kpi;
import pm.monitor.support.Rules;

/**
 * The streaming replay (issue 21) gives byte for byte what the in-memory replay gives: the same
 * findings, ids, order and KPIs, the same rejected lines, however many parts the input is split
 * into and whatever the order of its lines.
 */
class StreamReplayTest {

    private static String generated;

    @TempDir
    Path tmp;

    @BeforeAll
    static void generate() {
        StringWriter w = new StringWriter();
        new Generator(7, 6, LocalDate.of(2026, 3, 2), 5, 15, 4).write(w);
        generated = w.toString();
    }

    /** The replay command's output before streaming: parsed whole, evaluated in memory. */
    private static String inMemory(String ndjson, Instant until, List<Rejection> rejected) throws Exception {
        Replay.Parsed p = Replay.read(new BufferedReader(new StringReader(ndjson)), 2);
        Replay.Result r = new Replay(Rules.real(), 2).run(p.inputs(), until, null, true);
        StringBuilder out = new StringBuilder();
        for (Finding f : r.findings()) {
            out.append(Json.line(f)).append('\n');
        }
        for (Kpi k : r.kpis()) {
            out.append(Json.line(k)).append('\n');
        }
        rejected.addAll(p.rejections());
        rejected.addAll(r.rejections());
        rejected.sort(java.util.Comparator.comparingInt(Rejection::line));
        return out.toString();
    }

    private record Streamed(String out, StreamReplay.Summary summary) {
    }

    /** Streamed, with the size claimed so that the input is split into {@code parts} parts. */
    private Streamed streamed(String ndjson, int parts, Instant until) throws Exception {
        StringWriter w = new StringWriter();
        StreamReplay.Summary s = new StreamReplay(Rules.real(), 2, tmp)
                .run(new BufferedReader(new StringReader(ndjson)), parts * EventSpill.BUCKET_BYTES - 1, until, w, true, null);
        return new Streamed(w.toString(), s);
    }

    @Test
    @DisplayName("split into 1, 3 or 7 parts: the same bytes as the in-memory replay, and no temporary file left")
    void sameOutputWhateverTheSplit() throws Exception {
        List<Rejection> none = new ArrayList<>();
        String expected = inMemory(generated, null, none);
        assertTrue(expected.lines().count() > 1000, "a run with findings to compare");
        for (int parts : new int[] {1, 3, 7}) {
            Streamed s = streamed(generated, parts, null);
            assertEquals(expected, s.out(), parts + " parts");
            assertEquals(parts, s.summary().buckets());
            assertEquals(7, s.summary().communities().size());
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "temporary files are removed");
        }
    }

    @Test
    @DisplayName("lines in random order, duplicates, a conflicting id and malformed lines: same findings and rejections")
    void unorderedInputWithBadLines() throws Exception {
        List<String> lines = new ArrayList<>(generated.lines().toList());
        Collections.shuffle(lines, new Random(21));
        lines.add(3, lines.get(10)); // sent twice
        String first = lines.get(20);
        lines.add(40, first.replaceFirst("\"at\":\"", "\"note\":\"changed\",\"at\":\"")); // same id, other content
        lines.add(50, "{\"not json");
        lines.add(60, "{\"id\":\"x1\",\"type\":\"no.such.type\",\"community\":\"C0001\",\"at\":\"2026-03-05T10:00:00+08:00\"}");
        String ndjson = String.join("\n", lines) + "\n";
        List<Rejection> expectedRejections = new ArrayList<>();
        String expected = inMemory(ndjson, null, expectedRejections);
        Streamed s = streamed(ndjson, 4, null);
        assertEquals(expected, s.out());
        assertEquals(expectedRejections.toString(), s.summary().rejections().toString());
        assertTrue(s.summary().rejections().size() >= 3, "the conflict and both bad lines: " + s.summary().rejections());
        assertEquals(1, s.summary().duplicates());
    }

    @Test
    @DisplayName("the latest time in the file is a rejected line's: the clock runs to the latest accepted event, as in memory")
    void endIsTheLatestAcceptedEvent() throws Exception {
        // a line dated a month later, in a community of its own (so a part of its own when split),
        // that is rejected once parsed: it must not move every community's clock
        String late = "{\"id\":\"late-1\",\"type\":\"no.such.type\",\"community\":\"C9999\",\"at\":\"2026-04-30T10:00:00+08:00\"}";
        String ndjson = generated + late + "\n";
        List<Rejection> rejected = new ArrayList<>();
        String expected = inMemory(ndjson, null, rejected);
        for (int parts : new int[] {2, 8}) {
            Streamed s = streamed(ndjson, parts, null);
            assertEquals(expected, s.out(), parts + " parts");
            assertEquals(1, s.summary().rejections().size());
        }
        // and with --until, the given end for every community
        Instant until = Instant.parse("2026-03-20T00:00:00Z");
        assertEquals(inMemory(generated, until, new ArrayList<>()), streamed(generated, 3, until).out());
        assertFalse(expected.equals(inMemory(generated, until, new ArrayList<>())), "the end matters to the findings");
    }

    @Test
    @DisplayName("the baseline reads and orders every event and evaluates nothing")
    void baselineCountsEvents() throws Exception {
        StringWriter w = new StringWriter();
        StreamReplay.Summary s = new StreamReplay((pm.monitor.rules.RuleSet) null, 2, tmp)
                .run(new BufferedReader(new StringReader(generated)), -1, null, w, true, null);
        assertEquals(generated.lines().filter(l -> !l.isBlank()).count(), s.lines());
        assertEquals("", w.toString());
        assertEquals(0, s.findings());
        assertTrue(Arrays.asList(s.rejections().toArray()).isEmpty());
    }
}
