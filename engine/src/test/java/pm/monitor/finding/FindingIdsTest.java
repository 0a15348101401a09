package pm.monitor.finding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ids written by hand are those of the plain definition: stored ids stay the same. */
class FindingIdsTest {
    /** The definition, as the first version wrote it. */
    private static String reference(String rule, String community, String subject, Instant when, String kind)
            throws Exception {
        String key = rule + '\u0000' + community + '\u0000' + subject + '\u0000'
                + (when == null ? "" : when.toString()) + '\u0000' + kind;
        byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            s.append(String.format("%02x", h[i]));
        }
        return s.toString();
    }

    @Test
    void sameAsTheDefinition() throws Exception {
        String[][] names = {
            {"complaint.contact-2h", "C0001", "T-1", "violation"},
            {"complaint.collective", "望京-3", "INC 事故#1", "alert"},
            {"patrol.daily", "C0002", null, "warning"},
            {"x", "", "", ""},
            {"emoji", "c", "\uD83D\uDE00 ok", "alert"},
            {"lone", "c", "a\uD800b", "alert"},
        };
        Instant[] times = {
            Instant.parse("2026-03-02T01:15:00Z"), Instant.parse("2026-03-02T01:15:00.5Z"),
            Instant.parse("2026-03-02T01:15:00.000001Z"), Instant.parse("1970-01-01T00:00:00Z"),
            Instant.parse("0999-12-31T23:59:59Z"), Instant.parse("1000-01-01T00:00:00Z"),
            Instant.parse("9999-12-31T23:59:59Z"), Instant.ofEpochSecond(253402300800L),
            Instant.ofEpochSecond(-1), null,
        };
        for (String[] n : names) {
            for (Instant t : times) {
                assertEquals(reference(n[0], n[1], n[2], t, n[3]), FindingIds.of(n[0], n[1], n[2], t, n[3]),
                        String.join("|", String.valueOf(n[2]), String.valueOf(t)));
            }
        }
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(r.nextLong() % 20_000_000_000L, r.nextInt(4) == 0 ? r.nextInt(1000) * 1000 : 0);
            String subject = "T-" + r.nextInt(1 << 20) + "#" + r.nextInt(3);
            assertEquals(reference("rule", "C1", subject, t, "violation"), FindingIds.of("rule", "C1", subject, t, "violation"));
        }
        // a long subject grows the buffer and the next id is still right
        String longSubject = "s".repeat(5000) + "界";
        assertEquals(reference("r", "c", longSubject, times[0], "k"), FindingIds.of("r", "c", longSubject, times[0], "k"));
        assertEquals(reference("r", "c", "s", times[0], "k"), FindingIds.of("r", "c", "s", times[0], "k"));
        assertNotEquals(FindingIds.of("r", "c", "s", times[0], "k"), FindingIds.of("r", "c", "s", times[1], "k"));
    }
}
