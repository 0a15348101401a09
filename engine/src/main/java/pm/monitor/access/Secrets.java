package pm.monitor.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API tokens and session ids: 32 random bytes, base64url, with a prefix that says what they are
 * (so a leaked one is recognised in a paste or a scanner). Only their SHA-256 is stored. A
 * password needs a slow hash because it is guessable; 256 random bits are not, so one fast
 * hash is enough and lets every request be checked with one indexed lookup.
 */
public final class Secrets {
    public static final String TOKEN_PREFIX = "pmm_";
    public static final String SESSION_PREFIX = "pms_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    public static String newToken() {
        return TOKEN_PREFIX + random();
    }

    public static String newSession() {
        return SESSION_PREFIX + random();
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String hash(String secret) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(d.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
