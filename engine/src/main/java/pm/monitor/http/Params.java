package pm.monitor.http;

import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import pm.monitor.event.Timestamps;

/**
 * Query parameters as the API reads them: blank is absent, values are trimmed, and a value of
 * the wrong form is an {@link IllegalArgumentException} naming the parameter, which the routes
 * answer 400 with that message.
 */
final class Params {
    private Params() {
    }

    static String param(RoutingContext ctx, String name) {
        String v = ctx.request().getParam(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    static String param(RoutingContext ctx, String name, String fallback) {
        String v = param(ctx, name);
        return v == null ? fallback : v;
    }

    static String required(RoutingContext ctx, String name) {
        String v = param(ctx, name);
        if (v == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return v;
    }

    /** A comma-separated list, empty items dropped; null when the parameter is absent. */
    static List<String> list(RoutingContext ctx, String name) {
        String v = param(ctx, name);
        return v == null ? null : Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** An ISO-8601 instant with its offset, as events carry them. */
    static Instant time(RoutingContext ctx, String name) {
        String v = param(ctx, name);
        if (v == null) {
            return null;
        }
        try {
            return Timestamps.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    static LocalDate date(RoutingContext ctx, String name) {
        String v = param(ctx, name);
        try {
            return v == null ? null : LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be a date YYYY-MM-DD, not \"" + v + "\"");
        }
    }

    /** A whole number ≥ 0 (limits, offsets, counts). */
    static int integer(RoutingContext ctx, String name, int fallback) {
        String v = param(ctx, name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number ≥ 0, not \"" + v + "\"");
        }
    }
}
