package pm.monitor.http;

import io.vertx.core.AsyncResult;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * How the alerts' routes ({@link InboxRoutes}, {@link RosterRoutes}, {@link SilenceRoutes},
 * {@link AlertSettingsRoutes}) read a request and answer: database work off the event loop, and
 * what it returns says the status (null 404, {@link Denied} 403, {@link Problem} 400).
 */
final class AlertAnswers {
    private AlertAnswers() {
    }

    /** The request names something that does not exist: answered 400 with this message. */
    record Problem(String message) {
    }

    /** The object asked for belongs to a community the caller may not see: answered 403. */
    record Denied(String community) {
    }

    static void blocking(RoutingContext ctx, Callable<Object> work) {
        blocking(ctx, 200, work);
    }

    /** Runs {@code work} off the event loop; null means 404. */
    static void blocking(RoutingContext ctx, int status, Callable<Object> work) {
        ctx.vertx().executeBlocking(work, false).onComplete((AsyncResult<Object> ar) -> {
            if (ar.failed()) {
                Failures.unavailable(ctx, ar.cause());
            } else if (ar.result() == null) {
                ApiVerticle.json(ctx, 404, Map.of("error", "未找到：" + ctx.request().path() + " / not found: " + ctx.request().path()));
            } else if (ar.result() instanceof Denied d) {
                AccessHandler.forbidden(ctx, AccessHandler.principal(ctx), d.community());
            } else if (ar.result() instanceof Problem p) {
                ApiVerticle.json(ctx, 400, Map.of("error", p.message()));
            } else {
                ApiVerticle.json(ctx, status, ar.result());
            }
        });
    }

    /** The request's JSON object, or null after answering 400. */
    static JsonObject body(RoutingContext ctx) {
        try {
            JsonObject b = ctx.body().asJsonObject();
            if (b == null) {
                throw new IllegalArgumentException("empty body");
            }
            return b;
        } catch (RuntimeException e) {
            ApiVerticle.json(ctx, 400, Map.of("error", "请求内容应为 JSON 对象 / send a JSON object: " + e.getMessage()));
            return null;
        }
    }

    /** The path's numeric {@code id}, or null after answering 400. */
    static Long id(RoutingContext ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            ApiVerticle.json(ctx, 400, Map.of("error", "编号应为数字，而不是“" + ctx.pathParam("id") + "” / id must be a number, not \""
                    + ctx.pathParam("id") + "\""));
            return null;
        }
    }

    static String str(Instant t) {
        return t == null ? null : t.toString();
    }
}
