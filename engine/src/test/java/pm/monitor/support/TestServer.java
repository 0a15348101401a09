package pm.monitor.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import pm.monitor.app.Application;
import pm.monitor.app.Config;
import pm.monitor.finding.Json;

/** {@code serve} on a free port, on a fresh schema of the test PostgreSQL. */
public final class TestServer implements AutoCloseable {
    private final Application app;
    // HTTP/1.1 as browsers speak plain http: the JDK client's default offers an h2c upgrade on the
    // first request, and a 93 KB answer to that upgrade (GET /api/openapi.json) was once misread as
    // HTTP/2 frames ("Frame type(58) length(7365922) exceeds MAX_FRAME_SIZE") under load
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String dbUrl;

    private TestServer(Application app, String dbUrl) {
        this.app = app;
        this.dbUrl = dbUrl;
    }

    public static TestServer start(String clock) {
        return start(TestDatabase.freshSchemaUrl(), Rules.dir(), clock);
    }

    public static TestServer start(String dbUrl, Path rules, String clock) {
        return start(dbUrl, rules, clock, c -> c);
    }

    /** With some settings changed (access, limits). */
    public static TestServer start(String clock, java.util.function.UnaryOperator<Config> tweak) {
        return start(TestDatabase.freshSchemaUrl(), Rules.dir(), clock, tweak);
    }

    public static TestServer start(String dbUrl, Path rules, String clock, java.util.function.UnaryOperator<Config> tweak) {
        return start(dbUrl, rules, clock, tweak, Clock.systemUTC());
    }

    /** With another wall clock (e.g. one running from a chosen day). */
    public static TestServer start(String dbUrl, Path rules, String clock, java.util.function.UnaryOperator<Config> tweak,
                                   Clock wall) {
        Config config = tweak.apply(new Config(0, dbUrl, null, null, Path.of("target/var"), 0, rules, Path.of("db"),
                Path.of("dashboard"), clock, 2, 16 << 20, 100, false));
        Application app = new Application(config, wall).start();
        return new TestServer(app, dbUrl);
    }

    /** Stops this server and starts another on the same database, as a restart would. */
    public TestServer restart(Path rules, String clock) {
        close();
        return start(dbUrl, rules, clock);
    }

    public Application app() {
        return app;
    }

    public String dbUrl() {
        return dbUrl;
    }

    public String url(String path) {
        return "http://localhost:" + app.port() + path;
    }

    public HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/x-ndjson").build());
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET().build());
    }

    /**
     * Any request; {@code headers} are name, value pairs (e.g. "Authorization", "Bearer …").
     * {@code body} null sends none.
     */
    public HttpResponse<String> request(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    public HttpClient client() {
        return http;
    }

    private HttpResponse<String> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> json(HttpResponse<String> r) {
        return (Map<String, Object>) Json.parse(r.body());
    }

    /** Every stored finding, via the API. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> findings(String query) {
        Map<String, Object> page = json(get("/api/findings?limit=1000" + (query.isEmpty() ? "" : "&" + query)));
        return (List<Map<String, Object>>) page.get("items");
    }

    /** Waits for the engines to finish what they were given, and for their findings to be stored. */
    public void drain() {
        app.monitor().barrier().join();
        try {
            if (!app.findingWriter().flush(30_000)) {
                throw new IllegalStateException("findings not stored within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Polls until the condition holds (no fixed sleeps: returns as soon as it does). */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        app.close();
    }
}
