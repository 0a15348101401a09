package pm.monitor.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Events stored by a running {@code serve} through {@code POST /api/events}, the path every
 * sender uses: the server validates, stores and evaluates them as it would live events, and
 * answers each batch with what it accepted, what it already had and what it refused. Batches go
 * one after the other, so the server sees them in the order given (time order, see
 * {@link Importer}). A 503 means nothing of the batch was stored: it is sent again after the
 * server's {@code Retry-After}; the events' stable ids make a second delivery harmless.
 */
public final class ServeOutput implements Importer.Output {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TRIES = 30;

    private final URI endpoint;
    private final int batchSize;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final StringBuilder batch = new StringBuilder();
    private final List<Integer> rows = new ArrayList<>();
    private final List<Importer.Rejected> rejected = new ArrayList<>();
    private long accepted;
    private long duplicates;

    private final String token;

    /** @param base the server, e.g. {@code http://localhost:8080} */
    public ServeOutput(String base, int batchSize) {
        this(base, batchSize, null);
    }

    /** @param token an API token (the server has some), or null */
    public ServeOutput(String base, int batchSize, String token) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.endpoint = URI.create(b + "/api/events");
        this.batchSize = batchSize;
        this.token = token;
    }

    /**
     * Asks the server ({@code GET /api/health}) whether it can take a log of the past: it must run
     * with {@code --clock events}, or every deadline of the log would be judged at once against
     * the wall clock (and the server kept busy for minutes doing so). Returns why not, or null.
     *
     * @param live the rows are recent events of a live system: a wall-clock server is right for them
     */
    public static String preflight(String base, String token, boolean live) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(b + "/api/health")).timeout(Duration.ofSeconds(30));
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r;
        try {
            r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(req.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return "cannot reach " + b + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())
                    + " (is serve running there? 无法连接服务)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            return b + " needs an API token: pass --token T or set MONITOR_TOKEN (an ingest or admin token; "
                    + "服务需要令牌)";
        }
        String clock;
        try {
            clock = r.statusCode() == 200 ? JSON.readTree(r.body()).path("clock").asText(null) : null;
        } catch (IOException e) {
            clock = null;
        }
        if (clock == null) {
            return b + "/api/health answered " + r.statusCode() + ", not a monitor's health: " + r.body();
        }
        if (clock.equals("wall") && !live) {
            return b + " runs on the wall clock: a log of past tickets would be judged against today, every old "
                    + "deadline at once. Start a serve for history with `serve --clock events` (e.g. on another "
                    + "--port and --data) and import into it, then POST /api/clock to run it to the log's end; or "
                    + "pass --live if these are today's events. (该服务按挂钟时间运行：导入历史请用 serve --clock events "
                    + "启动的服务)";
        }
        return null;
    }

    @Override
    public void accept(String json, int row) throws IOException {
        batch.append(json).append('\n');
        rows.add(row);
        if (rows.size() >= batchSize) {
            send();
        }
    }

    @Override
    public Importer.Delivery finish() throws IOException {
        if (!rows.isEmpty()) {
            send();
        }
        return new Importer.Delivery(accepted, duplicates, List.copyOf(rejected));
    }

    private void send() throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(batch.toString()));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = b.build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while sending to " + endpoint, e);
            } catch (IOException e) {
                // A refused connection's message is null; its class says what happened.
                throw new IOException("cannot reach " + endpoint + ": " + (e.getMessage() != null ? e.getMessage()
                        : e.getClass().getSimpleName()), e);
            }
            if (r.statusCode() == 503 && attempt < MAX_TRIES) {
                long wait = r.headers().firstValueAsLong("Retry-After").orElse(1);
                try {
                    Thread.sleep(Math.max(1, wait) * 1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting to send again", e);
                }
                continue;
            }
            JsonNode body;
            try {
                body = JSON.readTree(r.body());
            } catch (IOException e) {
                body = null;
            }
            // 400 with a rejected list is a batch the server refused line by line: not a failure of the import.
            if ((r.statusCode() != 200 && r.statusCode() != 400) || body == null || !body.has("rejected")) {
                throw new IOException(endpoint + " answered " + r.statusCode() + ": " + r.body());
            }
            accepted += body.path("accepted").asLong();
            duplicates += body.path("duplicates").asLong();
            for (JsonNode x : body.path("rejected")) {
                int line = x.path("line").asInt();
                int row = line >= 1 && line <= rows.size() ? rows.get(line - 1) : 0;
                rejected.add(new Importer.Rejected(row, x.path("id").isNull() ? null : x.path("id").asText(),
                        x.path("field").isNull() ? null : x.path("field").asText(), x.path("reason").asText()));
            }
            batch.setLength(0);
            rows.clear();
            return;
        }
    }
}
