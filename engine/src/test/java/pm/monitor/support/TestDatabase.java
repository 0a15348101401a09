package pm.monitor.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A real PostgreSQL for tests: the server named by {@code MONITOR_TEST_DB_URL}, else the local
 * one on 127.0.0.1:5432 (database {@code test}, user {@code postgres}), else an embedded one
 * started once per test run, so the tests pass on a machine with no server. Each caller gets
 * its own schema, so test classes never see each other's rows.
 */
public final class TestDatabase {
    private TestDatabase() {
    }

    private static String baseUrl;
    private static EmbeddedPostgres embedded;

    /** The JDBC URL of the server, without a schema. */
    public static synchronized String serverUrl() {
        if (baseUrl != null) {
            return baseUrl;
        }
        String configured = System.getenv("MONITOR_TEST_DB_URL");
        if (configured != null && !configured.isBlank()) {
            baseUrl = configured;
        } else if (reachable("127.0.0.1", 5432)) {
            baseUrl = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
        } else {
            try {
                embedded = EmbeddedPostgres.builder().start();
                baseUrl = embedded.getJdbcUrl("postgres", "postgres");
            } catch (IOException e) {
                throw new IllegalStateException("no PostgreSQL for the tests: none on 127.0.0.1:5432 and the "
                        + "embedded one did not start: " + e.getMessage(), e);
            }
        }
        return baseUrl;
    }

    private static final java.util.List<String> CREATED = new java.util.ArrayList<>();

    /** A fresh, empty schema; the URL selects it for every connection. Dropped when the test run ends. */
    public static synchronized String freshSchemaUrl() {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String url = serverUrl();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test schema on " + url + ": " + e.getMessage(), e);
        }
        if (CREATED.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropCreated, "drop-test-schemas"));
        }
        CREATED.add(schema);
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** The schemas of this run only: other runs on the same server keep theirs. */
    private static synchronized void dropCreated() {
        try (Connection c = DriverManager.getConnection(serverUrl()); Statement s = c.createStatement()) {
            for (String schema : CREATED) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        } catch (SQLException e) {
            // the server may be gone already (an embedded one stopping); the schemas go with it
        }
    }

    public static Path migrations() {
        return Path.of("db");
    }

    private static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
