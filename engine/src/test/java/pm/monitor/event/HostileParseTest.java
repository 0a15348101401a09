package pm.monitor.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.support.HostileCorpus;
import pm.monitor.support.HostileCorpus.Batch;
import pm.monitor.support.HostileCorpus.Expect;
import pm.monitor.support.HostileCorpus.Line;

/** The hostile corpus of {@code HostileInputTest}, fed to the parser alone. */
class HostileParseTest {
    static final long SEED = 20261204L;

    /** What the reader made of one body: accepted lines with their text, rejections by line. */
    record Read(Map<Integer, String> accepted, Map<Integer, Rejection> rejected) {
    }

    static Read read(String body) {
        Map<Integer, String> accepted = new HashMap<>();
        Map<Integer, Rejection> rejected = new HashMap<>();
        new EventReader().read(body, new EventReader.Sink() {
            @Override
            public void accept(Event event, int line, String text) {
                assertNull(accepted.put(line, text), "line " + line + " answered twice");
                assertFalse(rejected.containsKey(line), "line " + line + " both accepted and rejected");
            }

            @Override
            public void reject(Rejection r) {
                assertNull(rejected.put(r.line(), r), "line " + r.line() + " rejected twice");
                assertFalse(accepted.containsKey(r.line()), "line " + r.line() + " both accepted and rejected");
            }
        });
        return new Read(accepted, rejected);
    }

    @Test
    @DisplayName("Over 10,000 hostile lines: each bad one rejected with its line and field, each good or harmless one read as sent")
    void corpus() {
        List<Batch> batches = new HostileCorpus(SEED).batches(100, 105);
        long hostile = batches.stream().mapToLong(b -> b.lines().size() - b.count(Expect.GOOD) - b.count(Expect.BLANK)).sum();
        assertTrue(hostile >= 10_000, "hostile lines: " + hostile);
        Map<String, Integer> kinds = new HashMap<>();
        for (Batch b : batches) {
            Read r = read(b.body());
            for (int i = 0; i < b.lines().size(); i++) {
                Line l = b.lines().get(i);
                int n = i + 1;
                String what = "line " + n + " (" + l.kind() + "): " + abbreviate(l.text());
                kinds.merge(l.kind(), 1, Integer::sum);
                switch (l.expect()) {
                    case PARSE -> {
                        Rejection x = r.rejected().get(n);
                        assertNotNull(x, "not rejected: " + what);
                        assertEquals(l.field(), x.field(), what + " → " + x);
                        assertFalse(x.reason().isBlank(), what);
                    }
                    case BLANK -> {
                        assertFalse(r.accepted().containsKey(n), what);
                        assertFalse(r.rejected().containsKey(n), what);
                    }
                    default -> {
                        assertTrue(r.accepted().containsKey(n), "not accepted: " + what + " → " + r.rejected().get(n));
                        String stripped = l.text().endsWith("\r") ? l.text().substring(0, l.text().length() - 1) : l.text();
                        assertEquals(stripped, r.accepted().get(n), "the text as sent: " + what);
                    }
                }
            }
            long answered = b.lines().size() - b.count(Expect.BLANK);
            assertEquals(answered, r.accepted().size() + r.rejected().size(), "every line answered once");
        }
        assertTrue(kinds.size() >= 40, "the corpus covers its kinds: " + kinds);
    }

    @Test
    @DisplayName("In a JSON array, a bad element is skipped whole and the elements after it are read")
    void arrayElements() {
        String good = "{\"id\":\"g%d\",\"type\":\"call.missed\",\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"C1\",\"call\":\"K%d\"}";
        List<String> elements = new ArrayList<>();
        elements.add(good.formatted(1, 1));
        elements.add("{\"id\":\"d1\",\"id\":\"d2\",\"type\":\"call.missed\",\"x\":{\"a\":[1,2,{\"b\":3}]},\"at\":\"2026-03-02T09:00:00+08:00\"}");
        elements.add(good.formatted(2, 2));
        elements.add("{\"id\":\"n1\",\"note\":\"a\\u0000b\",\"x\":[1,{\"c\":\"d\"}],\"type\":\"call.missed\"}");
        elements.add(good.formatted(3, 3));
        elements.add("{\"id\":\"s1\",\"x\":{\"k\\ud800\":1},\"type\":\"call.missed\"}");
        elements.add(good.formatted(4, 4));
        elements.add("{\"id\":\"" + "I".repeat(201) + "\",\"type\":\"call.missed\",\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"C1\",\"call\":\"K\"}");
        elements.add(good.formatted(5, 5));
        Read r = read("[\n" + String.join(",\n", elements) + "\n]");
        assertEquals(List.of(2, 4, 6, 8, 10), r.accepted().keySet().stream().sorted().toList(), r.rejected().toString());
        assertEquals(List.of(3, 5, 7, 9), r.rejected().keySet().stream().sorted().toList());
        assertEquals("id", r.rejected().get(3).field());
        assertEquals("note", r.rejected().get(5).field());
        assertEquals("x", r.rejected().get(7).field());
        assertEquals("id", r.rejected().get(9).field());

        // too deep or too long a number: the rest of the array is lost, but it is an answer, not an exception
        Read deep = read("[" + good.formatted(6, 6) + ",\n{\"id\":\"x\",\"deep\":" + "[".repeat(500) + "]".repeat(500) + "}]");
        assertEquals(List.of(1), List.copyOf(deep.accepted().keySet()));
        assertEquals(1, deep.rejected().size(), deep.rejected().toString());
        Read digits = read("[" + good.formatted(7, 7) + ",\n{\"id\":\"x\",\"rings\":" + "9".repeat(5000) + "}]");
        assertEquals(1, digits.accepted().size());
        assertEquals(1, digits.rejected().size(), digits.rejected().toString());
    }

    static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "… (" + s.length() + " characters)";
    }
}
