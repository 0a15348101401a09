package pm.monitor.http;

import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers for what went wrong inside (5xx): a short reason in Chinese and English and a
 * reference. The cause — SQL text, a stack trace, class names, paths — goes to the log under
 * that reference, never to the caller: it tells an outsider how the service is built, and tells
 * the user nothing they can act on.
 */
final class Failures {
    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    static final String UNAVAILABLE = "暂时无法完成，请稍后重试 · temporarily unavailable, retry shortly";
    static final String DATABASE = "数据库暂不可用，请稍后重试 · the database is unavailable, retry shortly";
    static final String INTERNAL = "内部错误，详情见服务日志 · internal error, details are in the service log";

    private Failures() {
    }

    /** 503 with {@code Retry-After}: the database (or another part) does not answer now. */
    static void unavailable(RoutingContext ctx, Throwable cause) {
        answer(ctx, 503, UNAVAILABLE, cause);
    }

    /** 500: a fault of the service. */
    static void internal(RoutingContext ctx, Throwable cause) {
        answer(ctx, 500, INTERNAL, cause);
    }

    /**
     * {@code {"error": reason, "detail": "ref …", "ref": ...}}; the cause is logged with the
     * reference. A failure of the database is 503 with {@link #DATABASE} whichever route met it
     * (a route that called it a fault of its own, 500, included): the caller retries, the same
     * way everywhere.
     */
    static void answer(RoutingContext ctx, int status, String reason, Throwable cause) {
        ApiVerticle.json(ctx, database(cause) ? 503 : status, body(ctx, status, reason, cause));
    }

    /** Whether {@code t} (or a cause of it) is the database failing: a query, a connection, the pool. */
    static boolean database(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof org.jooq.exception.DataAccessException || c instanceof java.sql.SQLException
                    || c instanceof pm.monitor.engine.Ingest.Unavailable
                    || c instanceof com.zaxxer.hikari.pool.HikariPool.PoolInitializationException) {
                return true;
            }
        }
        return false;
    }

    /** The body of such an answer (for handlers that add fields); sets {@code Retry-After} on a 503. */
    static Map<String, Object> body(RoutingContext ctx, int status, String reason, Throwable cause) {
        if (database(cause)) {
            // the caller's own words for it stay when it said 503 already (ingest: nothing was stored)
            reason = status == 503 && !UNAVAILABLE.equals(reason) ? reason : DATABASE;
            status = 503;
        }
        String ref = HexFormat.of().formatHex(bytes());
        String what = ctx.request().method() + " " + ctx.request().path();
        if (status >= 500 && status != 503) {
            LOG.error("{} answered {} (ref {})", what, status, ref, cause);
        } else {
            // an outage makes many of these: the cause's messages, not a stack trace each
            LOG.warn("{} answered {} (ref {}): {}", what, status, ref, chain(cause));
        }
        if (status == 503) {
            ctx.response().putHeader("Retry-After", "5");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", reason);
        m.put("detail", "ref " + ref + ": 服务日志中以此编号记录了原因 · the service log has the cause under this reference");
        m.put("ref", ref);
        return m;
    }

    private static byte[] bytes() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String chain(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null && b.length() < 2000; c = c.getCause() == c ? null : c.getCause()) {
            if (b.length() > 0) {
                b.append(" <- ");
            }
            b.append(c);
        }
        return b.length() == 0 ? "(no cause)" : b.toString();
    }
}
