package pm.monitor.http;

import static pm.monitor.http.Params.integer;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pm.monitor.store.ReviewStore;

/**
 * {@code GET /api/review[?community=C1,C2&limit=&offset=]}: the events that came late (flagged,
 * or applied by a rebuild) with the findings each changed or would change (README "Late and
 * out-of-order events").
 */
public final class ReviewRoutes implements ApiVerticle.Routes {
    private final Vertx vertx;
    private final ReviewStore reviews;

    public ReviewRoutes(Vertx vertx, ReviewStore reviews) {
        this.vertx = vertx;
        this.reviews = reviews;
    }

    @Override
    public void mount(Router router) {
        router.get("/api/review").handler(this::get);
    }

    private void get(RoutingContext ctx) {
        List<String> communities;
        int limit;
        int offset;
        try {
            String c = ctx.request().getParam("community");
            communities = c == null || c.isBlank() ? null
                    : Arrays.stream(c.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            limit = Math.min(integer(ctx, "limit", 100), 1000);
            offset = integer(ctx, "offset", 0);
        } catch (IllegalArgumentException e) {
            ApiVerticle.json(ctx, 400, Map.of("error", e.getMessage()));
            return;
        }
        vertx.executeBlocking(() -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("total", reviews.count(communities));
            m.put("limit", limit);
            m.put("offset", offset);
            m.put("items", reviews.query(communities, limit, offset));
            return m;
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ApiVerticle.json(ctx, 200, ar.result());
            } else {
                Failures.unavailable(ctx, ar.cause());
            }
        });
    }
}
