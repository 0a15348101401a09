package pm.monitor.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers are gzip- or deflate-compressed for a client that asks (Accept-Encoding): the
 * dashboard's scripts, ECharts most of all, are a fifth of their size on a phone's first visit
 * (issue 19.8). Event streams are not: a compressor holds back what it has not filled a block
 * with, so a finding would sit in the server until enough others followed it, and the live feed
 * would stall. Every {@code text/event-stream} answer, whichever route writes it, goes out as it
 * is written ({@code Content-Encoding: identity} tells Vert.x's compressor to leave it, and is
 * removed before it is sent).
 */
final class Compression implements Handler<RoutingContext> {
    /** Netty's default; level 9 costs several times the CPU for a few per cent. */
    private static final int LEVEL = 6;

    private Compression() {
    }

    static HttpServerOptions options() {
        return new HttpServerOptions().setCompressionSupported(true).setCompressionLevel(LEVEL);
    }

    /** The handler that keeps event streams uncompressed; mounted before every route. */
    static Compression streamsUncompressed() {
        return new Compression();
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.addHeadersEndHandler(v -> {
            String type = ctx.response().headers().get(HttpHeaders.CONTENT_TYPE);
            if (type != null && type.regionMatches(true, 0, "text/event-stream", 0, "text/event-stream".length())) {
                ctx.response().putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
            }
        });
        ctx.next();
    }
}
