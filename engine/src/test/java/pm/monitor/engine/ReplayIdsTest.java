package pm.monitor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.event.Rejection;

/** {@code replay} takes ids as {@code serve} does: unique per community, a reused id with other content reported. */
class ReplayIdsTest {

    private static String call(String id, String community, String call, String at) {
        return "{\"id\":\"" + id + "\",\"type\":\"call.missed\",\"at\":\"" + at + "\",\"community\":\"" + community
                + "\",\"call\":\"" + call + "\"}";
    }

    @Test
    @DisplayName("A resend is a duplicate, the same id in another community is another event, other content under a taken id is rejected by line")
    void idsPerCommunity() throws Exception {
        String at = "2026-03-02T09:00:00+08:00";
        String text = String.join("\n",
                call("e1", "C1", "K1", at),
                call("e1", "C1", "K1", at), // sent again
                "{ \"call\":\"K1\", \"community\":\"C1\", \"type\":\"call.missed\", \"at\":\"" + at + "\", \"id\":\"e1\" }",
                call("e1", "C2", "K1", at), // another community's e1
                call("e1", "C1", "K2", at), // other content
                call("e1", "C2", "K1", at));
        Replay.Parsed parsed = Replay.read(new BufferedReader(new StringReader(text)), 1);
        assertEquals(List.of(1, 4), parsed.inputs().stream().map(Replay.Input::line).toList());
        assertEquals(3, parsed.duplicates());
        assertEquals(1, parsed.rejections().size(), parsed.rejections().toString());
        Rejection r = parsed.rejections().get(0);
        assertEquals(5, r.line());
        assertEquals("e1", r.id());
        assertEquals("id", r.field());
        assertTrue(r.reason().startsWith("id already used by a different event (line 1, call.missed at "), r.reason());
    }

    @Test
    @DisplayName("The same on a large input, whose ids are split over the cores")
    void largeInput() throws Exception {
        StringBuilder text = new StringBuilder();
        List<Integer> conflicts = new ArrayList<>();
        int line = 0;
        int duplicates = 0;
        int unique = 0;
        for (int i = 0; i < 46_000; i++) {
            String at = java.time.OffsetDateTime.parse("2026-03-02T09:00:00+08:00").plusSeconds(i)
                    .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            text.append(call("e" + i, "C1", "K" + i, at)).append('\n');
            text.append(call("e" + i, "C2", "K" + i, at)).append('\n');
            line += 2;
            unique += 2;
            if (i % 7 == 0) {
                text.append(call("e" + i, "C2", "K" + i, at)).append('\n');
                line++;
                duplicates++;
            }
            if (i % 11 == 0) {
                text.append(call("e" + i, "C1", "X" + i, at)).append('\n');
                conflicts.add(++line);
            }
        }
        assertTrue(line >= 100_000, "large enough for the split path: " + line);
        Replay.Parsed parsed = Replay.read(new BufferedReader(new StringReader(text.toString())), 2);
        assertEquals(unique, parsed.inputs().size());
        assertEquals(duplicates, parsed.duplicates());
        Set<Integer> rejected = new TreeSet<>();
        for (Rejection r : parsed.rejections()) {
            assertEquals("id", r.field());
            rejected.add(r.line());
        }
        assertEquals(new TreeSet<>(conflicts), rejected);
    }
}
