package pm.monitor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.bench.Generator;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;
import pm.monitor.finding.Kpi;
import pm.monitor.support.Rules;

/** The same events give the same findings, with the same ids and KPIs, however they are batched or threaded. */
@Tag("slow")
class DeterminismTest {

    private static List<Replay.Input> events() throws Exception {
        StringWriter w = new StringWriter();
        new Generator(3, 5, LocalDate.of(2026, 3, 2), 11, 20, 4).write(w);
        return Replay.read(new BufferedReader(new StringReader(w.toString())), 1).inputs();
    }

    private static List<String> lines(List<Finding> findings) {
        List<String> out = new ArrayList<>();
        findings.stream().sorted(Replay.ORDER.thenComparing(Finding::id)).forEach(f -> out.add(Json.line(f)));
        return out;
    }

    private static Map<String, String> kpis(List<Kpi> kpis) {
        Map<String, String> m = new TreeMap<>();
        kpis.forEach(k -> m.put(k.kpi() + " " + k.community() + " " + k.period(), Json.line(k)));
        return m;
    }

    @Test
    @DisplayName("whole, in small batches, interleaved across communities, on one or two threads: identical findings and KPIs")
    void batchBoundariesDoNotMatter() throws Exception {
        List<Replay.Input> inputs = events();
        Instant until = inputs.stream().map(i -> i.event().at()).max(Comparator.naturalOrder()).orElseThrow();
        Replay.Result two = new Replay(Rules.real(), 2).run(inputs, until, null);
        Replay.Result one = new Replay(Rules.real(), 1).run(events(), until, null);
        assertTrue(two.findings().size() > 200);
        assertEquals(lines(two.findings()), lines(one.findings()));
        assertEquals(kpis(two.kpis()), kpis(one.kpis()));

        // Live-like: all communities interleaved in time order, in random batches, each batch followed
        // by moving every community's clock to the batch's last time (deadlines at it not yet judged).
        List<Replay.Input> sorted = new ArrayList<>(events());
        sorted.sort(Comparator.comparing(i -> i.event().at()));
        Map<String, CommunityEngine> engines = new TreeMap<>();
        List<Finding> found = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(3);
        int i = 0;
        while (i < sorted.size()) {
            int n = 1 + random.nextInt(50);
            Instant last = null;
            for (int k = i; k < Math.min(sorted.size(), i + n); k++) {
                var e = sorted.get(k).event();
                engines.computeIfAbsent(e.community(), c -> new CommunityEngine(c, Rules.real(), found::add)).accept(e);
                last = e.at();
            }
            i += n;
            for (CommunityEngine engine : engines.values()) {
                engine.advanceTo(last, false);
            }
        }
        for (CommunityEngine engine : engines.values()) {
            engine.finish(until); // the input ends here, as a replay's does
        }
        assertEquals(lines(two.findings()), lines(found));
        assertEquals(kpis(two.kpis()), kpis(Replay.kpis(engines.values(), Rules.real())));
    }

    @Test
    @DisplayName("a large input (split over the cores to dedupe and group): the first of an id counts, input order kept, findings as on one thread")
    void largeInputSplitOverCores() throws Exception {
        StringWriter w = new StringWriter();
        new Generator(25, 30, LocalDate.of(2026, 3, 2), 5, 20, 4).write(w);
        List<String> original = new ArrayList<>(w.toString().lines().toList());
        assertTrue(original.size() >= 100_000, "large enough for the split path: " + original.size());
        // A ticket received and contacted at one instant, one each side of where the inputs are
        // split: the contact is taken only if it comes after the receipt, as in the input.
        int mid = (original.size() + 2) / 2;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"at\":\"([^\"]+)\",\"community\":\"([^\"]+)\"")
                .matcher(original.get(mid - 1));
        assertTrue(m.find());
        String where = "\"at\":\"" + m.group(1) + "\",\"community\":\"" + m.group(2) + "\",\"ticket\":\"SPLIT-1\"";
        original.add(mid - 1, "{\"id\":\"split-1\",\"type\":\"ticket.received\"," + where
                + ",\"kind\":\"complaint\",\"channel\":\"phone\",\"household\":\"1-1-101\",\"category\":\"other\",\"validity\":\"valid\",\"receivedBy\":\"a1\"}");
        original.add(mid, "{\"id\":\"split-2\",\"type\":\"ticket.contacted\"," + where + ",\"by\":\"s1\"}");
        StringBuilder text = new StringBuilder(String.join("\n", original)).append('\n');
        int copies = 0;
        for (int i = 0; i < original.size(); i += 997) {
            text.append(original.get(i)).append('\n'); // the same id again, later
            copies++;
        }
        Replay.Parsed parsed = Replay.read(new BufferedReader(new StringReader(text.toString())), 2);
        assertEquals(List.of(), parsed.rejections());
        assertEquals(copies, parsed.duplicates());
        assertEquals(original.size(), parsed.inputs().size());
        for (int i = 0; i < parsed.inputs().size(); i++) {
            assertEquals(i + 1, parsed.inputs().get(i).line(), "the first of each id, in input order");
        }
        List<Replay.Input> inputs = parsed.inputs();
        Instant until = inputs.stream().map(i -> i.event().at()).max(Comparator.naturalOrder()).orElseThrow();
        Replay.Result two = new Replay(Rules.real(), 2).run(new ArrayList<>(inputs), until, null);
        Replay.Result one = new Replay(Rules.real(), 1).run(new ArrayList<>(inputs), until, null);
        assertTrue(two.findings().size() > 10_000);
        assertEquals(List.of(), one.rejections());
        assertEquals(List.of(), two.rejections());
        assertEquals(lines(one.findings()), lines(two.findings()));
        assertEquals(kpis(one.kpis()), kpis(two.kpis()));
    }
}
