package pm.monitor.finding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/**
 * Stable finding ids: the same rule, community, subject, deadline and kind give the same id in
 * every run, live or replayed, so storing a finding twice is a no-op and a receiver can drop a
 * duplicate. A finding with no deadline (emitted with the event that caused it) uses that
 * event's time in the deadline's place.
 */
public final class FindingIds {
    private FindingIds() {
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    public static String of(String rule, String community, String subject, Instant when, String kind) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String key = rule + '\u0000' + community + '\u0000' + subject + '\u0000'
                + (when == null ? "" : when.toString()) + '\u0000' + kind;
        byte[] h = sha.digest(key.getBytes(StandardCharsets.UTF_8));
        char[] out = new char[20];
        for (int i = 0; i < 10; i++) {
            out[2 * i] = HEX[(h[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[h[i] & 0xf];
        }
        return new String(out);
    }
}
