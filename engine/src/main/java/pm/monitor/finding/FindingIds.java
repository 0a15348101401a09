package pm.monitor.finding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import pm.monitor.calendar.Times;

/**
 * Stable finding ids: the same rule, community, subject, deadline and kind give the same id in
 * every run, live or replayed, so storing a finding twice is a no-op and a receiver can drop a
 * duplicate. A finding with no deadline (emitted with the event that caused it) uses that
 * event's time in the deadline's place.
 *
 * <p>The id is the first 10 bytes of SHA-256 over the UTF-8 of
 * {@code rule NUL community NUL subject NUL instant NUL kind}, the instant as
 * {@link Instant#toString()} writes it. A replay makes one per finding (a quarter of a million a
 * second), so the digest is kept per thread and a whole-second instant is written by
 * {@link Times#iso} rather than {@code Instant.toString}'s formatter: {@code
 * MessageDigest.getInstance} and {@code Instant.toString} were three quarters of the time here. {@code FindingIdsTest} checks the bytes are the same.
 */
public final class FindingIds {
    private FindingIds() {
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A digest and a byte buffer per thread, reused for every id. */
    private static final class Hasher {
        final MessageDigest sha;
        byte[] buf = new byte[256];
        int n;

        Hasher() {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** As {@code String.valueOf(s)} in UTF-8: "null" for null, as the string concatenation wrote it. */
        Hasher add(String s) {
            if (s == null) {
                s = "null";
            }
            int len = s.length();
            room(len);
            for (int i = 0; i < len; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) { // rare: let the encoder do the rest
                    return add(s.substring(i).getBytes(StandardCharsets.UTF_8));
                }
                buf[n++] = (byte) c;
            }
            return this;
        }

        Hasher add(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, buf, n, b.length);
            n += b.length;
            return this;
        }

        Hasher nul() {
            room(1);
            buf[n++] = 0;
            return this;
        }

        private void room(int more) {
            if (n + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
            }
        }
    }

    private static final ThreadLocal<Hasher> HASHER = ThreadLocal.withInitial(Hasher::new);

    public static String of(String rule, String community, String subject, Instant when, String kind) {
        Hasher x = HASHER.get();
        x.n = 0;
        x.add(rule).nul().add(community).nul().add(subject).nul();
        if (when != null) {
            // whole seconds as Instant.toString writes them, by the formatter findings are written with
            x.add(when.getNano() == 0 ? Times.iso(when, ZoneOffset.UTC) : when.toString());
        }
        x.nul().add(kind);
        x.sha.reset();
        x.sha.update(x.buf, 0, x.n);
        byte[] h = x.sha.digest();
        char[] out = new char[20];
        for (int i = 0; i < 10; i++) {
            out[2 * i] = HEX[(h[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[h[i] & 0xf];
        }
        return new String(out);
    }
}
