package pm.monitor.access;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * People's passwords, hashed with bcrypt (Spring Security's {@code BCrypt}: a slow, salted hash
 * made for passwords, which are guessable where tokens are not; see {@link Secrets}). The class
 * alone is used, with no logging or Spring dependency. {@link #matches} costs the same whether or
 * not the user exists ({@link #DECOY}), so the answer's timing says nothing about which names exist.
 */
public final class Passwords {
    /** bcrypt's work factor: 2^12 rounds; one check took 490 ms on the shared 2-core build machine (December 2026). */
    static final int COST = 12;
    static final int MIN_LENGTH = 8;
    /** bcrypt reads at most 72 bytes: a longer password would be cut silently, so it is refused. */
    static final int MAX_BYTES = 72;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A hash no password was chosen for, checked when the user is unknown or disabled: the same work as a real check. */
    private static final String DECOY = BCrypt.hashpw("decoy-" + RANDOM.nextLong(), BCrypt.gensalt(COST, RANDOM));

    private Passwords() {
    }

    /** Why a new password cannot be used (Chinese · English), or null when it can. */
    public static String problem(String password) {
        if (password == null || password.length() < MIN_LENGTH) {
            return "密码至少 " + MIN_LENGTH + " 个字符 · a password has at least " + MIN_LENGTH + " characters";
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "密码至多 " + MAX_BYTES + " 字节（UTF-8）· a password has at most " + MAX_BYTES + " bytes (UTF-8)";
        }
        if (password.isBlank() || !password.strip().equals(password)) {
            return "密码不能以空白开头或结尾 · a password may not begin or end with white space";
        }
        return null;
    }

    public static String hash(String password) {
        String p = problem(password);
        if (p != null) {
            throw new IllegalArgumentException(p);
        }
        return BCrypt.hashpw(password, BCrypt.gensalt(COST, RANDOM));
    }

    /** Whether {@code password} is the one of {@code hash}; with a null hash (no such user) the same work, and false. */
    public static boolean matches(String password, String hash) {
        boolean usable = password != null && password.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
        String p = usable ? password : "";
        try {
            boolean ok = BCrypt.checkpw(p, hash == null ? DECOY : hash);
            return ok && usable && hash != null;
        } catch (IllegalArgumentException e) {
            return false; // a stored hash that is no bcrypt hash opens nothing
        }
    }
}
