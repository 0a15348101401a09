package pm.monitor.fault;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import pm.monitor.bench.Generator;
import pm.monitor.engine.Replay;
import pm.monitor.support.Outcome;
import pm.monitor.support.Rules;

/**
 * A deterministic event stream cut into fixed batches, the findings an offline replay gives
 * for it, and the database reads the fault tests compare against it.
 */
final class Feed {
    final List<String> batches = new ArrayList<>();
    final List<List<String>> batchIds = new ArrayList<>();
    final Set<String> ids = new HashSet<>();
    final String until;
    private final List<Replay.Input> inputs = new ArrayList<>();

    Feed(int communities, int days, long seed, int batchSize) {
        pm.monitor.support.Generated generated = pm.monitor.support.Generated.of(
                new Generator(communities, days, LocalDate.of(2026, 3, 2), seed, 25, 4));
        String[] lines = generated.lines();
        inputs.addAll(generated.inputs());
        for (int i = 0; i < inputs.size(); i += batchSize) {
            StringBuilder body = new StringBuilder();
            List<String> batch = new ArrayList<>();
            for (int k = i; k < Math.min(inputs.size(), i + batchSize); k++) {
                body.append(lines[k]).append('\n');
                batch.add(inputs.get(k).event().id());
            }
            batches.add(body.toString());
            batchIds.add(batch);
            ids.addAll(batch);
        }
        if (ids.size() != inputs.size()) {
            throw new AssertionError("the generator repeated event ids");
        }
        until = generated.until();
    }

    /** The findings of a clean offline replay of every event, as "id rule kind subject". */
    TreeSet<String> replayed() {
        return Outcome.findings(new Replay(Rules.real(), 2).run(inputs, null, null).findings());
    }

    /** The findings stored in the database, as "id rule kind subject". */
    static TreeSet<String> storedFindings(String dbUrl) {
        TreeSet<String> stored = new TreeSet<>();
        query(dbUrl, "SELECT id, rule, kind, subject FROM findings", rs -> {
            String line = rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4);
            if (!stored.add(line)) {
                throw new AssertionError("finding stored twice: " + line);
            }
        });
        return stored;
    }

    /** The ids in the events table; fails on an id stored twice. */
    static Set<String> storedEvents(String dbUrl) {
        Set<String> stored = new HashSet<>();
        query(dbUrl, "SELECT id FROM events", rs -> {
            if (!stored.add(rs.getString(1))) {
                throw new AssertionError("event stored twice: " + rs.getString(1));
            }
        });
        return stored;
    }

    interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void query(String dbUrl, String sql, Row row) {
        try (Connection c = DriverManager.getConnection(dbUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                row.accept(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The first few elements of a set difference, for a readable failure. */
    static String sample(Set<String> a, Set<String> b) {
        List<String> out = new ArrayList<>();
        for (String x : a) {
            if (!b.contains(x)) {
                out.add(x);
                if (out.size() == 5) {
                    break;
                }
            }
        }
        return out.toString();
    }

    static HttpResponse<String> post(HttpClient http, String base, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(HttpClient http, String base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
