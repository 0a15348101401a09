package pm.monitor.http;

import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer's body. Every error of the API is JSON with {@code error}, the reason (what the
 * dashboard shows and a curl user reads; in Chinese and English where the route gives both, with
 * {@code zh} and {@code en} each on its own), and {@code detail}: the request it answers, and for
 * a fault of the service the reference the log has the cause under ({@link Failures}).
 * {@link ApiVerticle#json} adds the detail to an error body that has none.
 */
final class Errors {
    private Errors() {
    }

    /** {@code GET /api/x → 404 Not Found}, and where the routes are described when there is no such route. */
    static String detail(RoutingContext ctx, int status) {
        String reason = io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase();
        String d = ctx.request().method().name() + " " + ctx.request().path() + " → " + status + " " + reason;
        return status == 404 ? d + " (接口说明 · the API: /api/openapi.json)" : d;
    }

    /**
     * The Chinese and English halves of a reason written "中文 / English" (or "中文 · English"):
     * Chinese before the first separator, none after it; empty for a reason in one language.
     */
    static java.util.Optional<String[]> halves(String reason) {
        for (String sep : new String[] {" / ", " · "}) {
            int i = reason.indexOf(sep);
            if (i > 0) {
                String zh = reason.substring(0, i);
                String en = reason.substring(i + sep.length());
                if (CJK.matcher(zh).find() && !CJK.matcher(en).find()) {
                    return java.util.Optional.of(new String[] {zh, en});
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static final java.util.regex.Pattern CJK = java.util.regex.Pattern.compile("[\\u3400-\\u9fff]");

    static Map<String, Object> of(String zh, String en) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", zh + " / " + en);
        m.put("zh", zh);
        m.put("en", en);
        return m;
    }
}
