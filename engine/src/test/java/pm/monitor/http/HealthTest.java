package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.support.Rules;
import pm.monitor.support.TestServer;

/**
 * {@code /api/health} is cheap (it never counts the events table: seconds at millions of rows),
 * liveness and readiness are separate, and no answer carries the database's own words — SQL
 * text, exception and class names — only a short reason in Chinese and English (issue 17.15).
 */
@Tag("server")
class HealthTest {
    private static final String EVENTS = String.join("\n",
            "{\"id\":\"h1\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:00:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\",\"kind\":\"complaint\",\"channel\":\"phone\",\"category\":\"service\",\"receivedBy\":\"a1\"}",
            "{\"id\":\"h2\",\"type\":\"ticket.contacted\",\"at\":\"2026-03-02T09:30:00+08:00\",\"community\":\"C1\",\"ticket\":\"T1\",\"by\":\"s1\"}",
            "{\"id\":\"h3\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:40:00+08:00\",\"community\":\"C1\",\"ticket\":\"T2\",\"kind\":\"complaint\",\"channel\":\"phone\",\"category\":\"service\",\"receivedBy\":\"a1\"}");

    @Test
    @DisplayName("health, readiness and liveness answer at once while the events table is locked: none of them reads it; the count is kept")
    void cheapWhileEventsLocked() throws Exception {
        try (TestServer server = TestServer.start("events")) {
            assertEquals(200, server.post("/api/events", EVENTS).statusCode());
            assertEquals(3, ((Number) TestServer.json(server.get("/api/health")).get("events")).intValue());
            assertEquals(200, server.post("/api/events", EVENTS).statusCode(), "duplicates are not counted");

            try (Connection c = DriverManager.getConnection(server.dbUrl()); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                // a count(*) of the table would wait for this lock (as it waits for a scan of millions of rows)
                s.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE");
                for (String path : List.of("/api/health", "/api/health/ready", "/api/health/live")) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = get(server, path, Duration.ofSeconds(5));
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    assertEquals(200, r.statusCode(), path + ": " + r.body());
                    assertEquals("ok", TestServer.json(r).get("status"), path);
                    assertTrue(ms < 2000, path + " answered in " + ms + " ms");
                }
                Map<String, Object> h = TestServer.json(get(server, "/api/health", Duration.ofSeconds(5)));
                assertEquals(3, ((Number) h.get("events")).intValue(), "the stored events, counted by the service");
                assertEquals("events", h.get("clock"));
                c.rollback();
            }
            // probes carry no token once tokens exist
            server.app().access().create("ops", pm.monitor.access.Role.ADMIN, null, "test");
            assertEquals(401, server.get("/api/health").statusCode(), "the full health needs a token");
            assertEquals(200, server.get("/api/health/live").statusCode());
            assertEquals(200, server.get("/api/health/ready").statusCode());
        }
    }

    @Test
    @DisplayName("database down: health and readiness 503 within seconds with a Chinese and English reason and no internals; liveness 200")
    void databaseDown(@TempDir Path tmp) throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(tmp.resolve("pg")).setCleanDataDirectory(false)
                .start();
        try (TestServer server = TestServer.start(pg.getJdbcUrl("postgres", "postgres"), Rules.dir(), "events")) {
            assertEquals(200, server.get("/api/health/ready").statusCode());
            pg.close();

            HttpResponse<String> health = get(server, "/api/health", Duration.ofSeconds(10));
            assertEquals(503, health.statusCode(), health.body());
            assertEquals("database unavailable", TestServer.json(health).get("status"));
            assertTrue(health.headers().firstValue("Retry-After").isPresent());
            reasonOnly(health);

            long t0 = System.nanoTime();
            HttpResponse<String> ready = get(server, "/api/health/ready", Duration.ofSeconds(10));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ms < 4000, "readiness answers within its timeout: " + ms + " ms");
            reasonOnly(ready);

            assertEquals(200, get(server, "/api/health/live", Duration.ofSeconds(5)).statusCode(),
                    "alive: a database outage is no reason to restart the service");

            for (HttpResponse<String> r : List.of(get(server, "/api/findings", Duration.ofSeconds(10)),
                    get(server, "/api/dashboard/communities", Duration.ofSeconds(10)),
                    server.post("/api/events", EVENTS))) {
                assertEquals(503, r.statusCode(), r.uri() + ": " + r.body());
                reasonOnly(r);
            }
        } finally {
            pg.close();
        }
    }

    @Test
    @DisplayName("a failed query's SQL and the database's message stay in the log, out of the answer")
    void sqlErrorNotInAnswer() throws Exception {
        try (TestServer server = TestServer.start("events")) {
            try (Connection c = DriverManager.getConnection(server.dbUrl()); Statement s = c.createStatement()) {
                s.execute("DROP TABLE findings CASCADE");
            }
            HttpResponse<String> r = server.get("/api/findings?community=C1");
            assertEquals(503, r.statusCode(), r.body());
            reasonOnly(r);
            assertFalse(r.body().contains("findings"), r.body());
        }
    }

    /** A short reason in Chinese and English (and a reference), nothing of the internals. */
    static void reasonOnly(HttpResponse<String> r) {
        String body = r.body();
        for (String internal : List.of("SQL", "select", "SELECT", "relation", "Exception", "exception", "org.", "java.",
                "jooq", "Hikari", "PSQL", "postgres", "Connection", "\tat ")) {
            assertFalse(body.contains(internal), "\"" + internal + "\" in " + r.uri() + ": " + body);
        }
        String error = String.valueOf(TestServer.json(r).get("error"));
        assertTrue(error.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN),
                "Chinese: " + error);
        assertTrue(error.matches(".*[a-z]{4,} [a-z]{2,}.*"), "English: " + error);
    }

    private static HttpResponse<String> get(TestServer server, String path, Duration timeout) throws Exception {
        return server.client().send(HttpRequest.newBuilder(URI.create(server.url(path))).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
