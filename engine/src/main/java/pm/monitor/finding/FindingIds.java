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
 *
 * <p>The id is the first 10 bytes of SHA-256 over the UTF-8 of
 * {@code rule NUL community NUL subject NUL instant NUL kind}, the instant as
 * {@link Instant#toString()} writes it. A replay makes one per finding (a quarter of a million a
 * second), so the digest is kept per thread and the common instant (whole seconds, years
 * 1000–9999) is written by hand: {@code MessageDigest.getInstance} and {@code Instant.toString}
 * were three quarters of the time here. {@code FindingIdsTest} checks the bytes are the same.
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
            byte[] t = instant(when);
            x.add(t != null ? t : when.toString().getBytes(StandardCharsets.US_ASCII));
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

    /** {@code yyyy-MM-ddTHH:mm:ssZ} as {@link Instant#toString()} writes it, or null if it would write more. */
    static byte[] instant(Instant at) {
        if (at.getNano() != 0) {
            return null;
        }
        long seconds = at.getEpochSecond();
        long day = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        java.time.LocalDate d = java.time.LocalDate.ofEpochDay(day);
        int y = d.getYear();
        if (y < 1000 || y > 9999) {
            return null;
        }
        byte[] b = new byte[20];
        b[0] = (byte) ('0' + y / 1000);
        b[1] = (byte) ('0' + y / 100 % 10);
        b[2] = (byte) ('0' + y / 10 % 10);
        b[3] = (byte) ('0' + y % 10);
        b[4] = '-';
        two(b, 5, d.getMonthValue());
        b[7] = '-';
        two(b, 8, d.getDayOfMonth());
        b[10] = 'T';
        two(b, 11, secondOfDay / 3600);
        b[13] = ':';
        two(b, 14, secondOfDay / 60 % 60);
        b[16] = ':';
        two(b, 17, secondOfDay % 60);
        b[19] = 'Z';
        return b;
    }

    private static void two(byte[] b, int at, int v) {
        b[at] = (byte) ('0' + v / 10);
        b[at + 1] = (byte) ('0' + v % 10);
    }
}
