package pm.monitor.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.store.AuditStore;

/**
 * Failed authentications in the audit ({@code action = auth.fail}): an unknown or revoked
 * token, an expired or ended session, a login with a bad token or password — with the time (the row's),
 * the remote address and the reason; never the token. Bounded, so that a flood of bad tokens
 * cannot fill the table: the first failure of an address and reason writes a row at once, the
 * others of the next {@link #WINDOW} are counted and written as one summary row when it ends
 * ({@link #flush}); at most {@link #MAX_ROWS} rows a window in all (many addresses at once),
 * and what that cap holds back is written as one row with its count. Each row's {@code count}
 * says how many failures it stands for.
 */
public final class AuthFailures {
    private static final Logger LOG = LoggerFactory.getLogger(AuthFailures.class);
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_ROWS = 60;
    /** Addresses followed at once; failures of more are counted as held back. */
    static final int MAX_KEYS = 10_000;
    public static final String ACTION = "auth.fail";
    static final String ACTOR = "anonymous";

    /** Why an authentication failed. */
    public enum Reason {
        TOKEN("unknown-token", "令牌未知或已撤销 · unknown or revoked token"),
        SESSION("ended-session", "会话已过期或已结束 · the session has expired or was ended"),
        LOGIN("login", "登录失败：令牌未知或已撤销 · login with an unknown or revoked token"),
        PASSWORD("password", "登录失败：用户名或密码错误 · login with an unknown user name or a wrong password"),
        DISABLED("disabled-user", "登录失败：用户已停用 · login of a disabled user (the right password)");

        final String code;
        final String text;

        Reason(String code, String text) {
            this.code = code;
            this.text = text;
        }
    }

    /** An address and reason's window: from its first failure (written), then the others (counted). */
    private static final class Window {
        final Instant start;
        Instant firstMore;
        Instant last;
        long more;

        Window(Instant start) {
            this.start = start;
            this.last = start;
        }
    }

    private final AuditStore audit;
    private final Clock wall;
    private final Map<String, Window> windows = new LinkedHashMap<>();
    private Instant capStart = Instant.EPOCH;
    private int written;
    private long heldBack;
    private Instant heldSince;

    public AuthFailures(AuditStore audit, Clock wall) {
        this.audit = audit;
        this.wall = wall;
    }

    /** A row to write (blocking: {@link #write}), or null when the failure is only counted. */
    public record Row(String remote, Map<String, Object> details) {
    }

    /** Counts a failure; the row to write now, if any. Cheap: call it on the event loop. */
    public synchronized Row admit(String remote, Reason reason) {
        Instant now = wall.instant();
        String key = reason.code + " " + remote;
        Window w = windows.get(key);
        if (w != null && now.isBefore(w.start.plus(WINDOW))) {
            w.more++;
            w.firstMore = w.firstMore == null ? now : w.firstMore;
            w.last = now;
            return null;
        }
        if ((w == null && windows.size() >= MAX_KEYS) || !room(now)) {
            hold(now, 1);
            return null;
        }
        windows.put(key, new Window(now));
        written++;
        if (w != null && w.more > 0) {
            // the ended window's count, not flushed yet, goes with this row
            return new Row(remote, details(reason, w.more + 1, w.firstMore, now));
        }
        return new Row(remote, details(reason, 1, now, now));
    }

    /** Writes a row from {@link #admit} (blocking). */
    public void write(Row row) {
        try {
            audit.record(ACTOR, ACTION, row.remote(), row.details());
        } catch (RuntimeException e) {
            LOG.warn("could not audit a failed authentication from {}: {}", row.remote(), e.getMessage());
        }
    }

    /** Counts a failure and writes its row if one is due (blocking). */
    public void record(String remote, Reason reason) {
        Row r = admit(remote, reason);
        if (r != null) {
            write(r);
        }
    }

    /**
     * Writes the summaries of the windows that ended (blocking): how many more failures an
     * address had after its first, and what the cap held back. Called every few seconds.
     */
    public void flush() {
        List<Row> rows = new ArrayList<>();
        synchronized (this) {
            Instant now = wall.instant();
            for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Window> e = it.next();
                Window w = e.getValue();
                if (now.isBefore(w.start.plus(WINDOW))) {
                    continue;
                }
                it.remove();
                if (w.more == 0) {
                    continue;
                }
                String code = e.getKey().substring(0, e.getKey().indexOf(' '));
                String remote = e.getKey().substring(code.length() + 1);
                if (room(now)) {
                    written++;
                    rows.add(new Row(remote, details(reasonOf(code), w.more, w.firstMore, w.last)));
                } else {
                    hold(w.firstMore, w.more);
                }
            }
            if (heldBack > 0) {
                // one row for all of it, past the cap: the table stays bounded whatever comes
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("reason", "held-back");
                d.put("message", "认证失败过多，未逐条记录 · too many failed authentications to record one by one");
                d.put("count", heldBack);
                d.put("first", heldSince.toString());
                d.put("last", now.toString());
                rows.add(new Row("*", d));
                heldBack = 0;
                heldSince = null;
            }
        }
        rows.forEach(this::write);
    }

    private boolean room(Instant now) {
        if (!now.isBefore(capStart.plus(WINDOW))) {
            capStart = now;
            written = 0;
        }
        return written < MAX_ROWS;
    }

    private void hold(Instant at, long n) {
        heldBack += n;
        if (heldSince == null || at.isBefore(heldSince)) {
            heldSince = at;
        }
    }

    private static Reason reasonOf(String code) {
        for (Reason r : Reason.values()) {
            if (r.code.equals(code)) {
                return r;
            }
        }
        throw new IllegalStateException(code);
    }

    private static Map<String, Object> details(Reason reason, long count, Instant first, Instant last) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("reason", reason.code);
        d.put("message", reason.text);
        d.put("count", count);
        d.put("first", first.toString());
        d.put("last", last.toString());
        return d;
    }
}
