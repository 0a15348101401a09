package pm.monitor.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.finding.Json;

/**
 * {@code serve} with its embedded PostgreSQL (no {@code --db}) killed with SIGKILL leaves the
 * PostgreSQL it started running on the data folder. The next start, on another random port,
 * must start at the first try (issue 17.7): it finds the orphan from the folder's
 * {@code postmaster.pid} and stops it. The service runs as a child JVM so the kill is real.
 */
@Tag("process")
class EmbeddedRestartTest {
    private static final Pattern SERVING = Pattern.compile("serving on http://localhost:(\\d+)/");
    private static final String EVENT = "{\"id\":\"r1\",\"type\":\"ticket.received\",\"at\":\"2026-03-02T09:00:00+08:00\","
            + "\"community\":\"C001\",\"ticket\":\"T1\",\"kind\":\"complaint\",\"channel\":\"phone\","
            + "\"household\":\"3-2-1201\",\"category\":\"environment\",\"receivedBy\":\"a1\",\"summary\":\"楼道垃圾未清\"}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    @DisplayName("kill -9 of serve with the embedded database: the next start stops the orphaned PostgreSQL and starts at the first try")
    void restartAfterKill(@TempDir Path data) throws Exception {
        Path logs = Files.createDirectories(Path.of("engine/target/fault-logs"));
        Path pgdata = data.resolve("pgdata");
        long orphan = -1;
        Process second = null;
        try {
            Process first = start(data, logs.resolve("embedded-restart-0.log"));
            String base = base(logs.resolve("embedded-restart-0.log"), first);
            HttpResponse<String> posted = post(base + "/api/events", EVENT);
            assertEquals(200, posted.statusCode(), posted.body());
            orphan = postmasterPid(pgdata);
            assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false), "the embedded PostgreSQL runs");

            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
            assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false),
                    "the kill leaves the PostgreSQL running on the folder (the case under test)");

            Path log = logs.resolve("embedded-restart-1.log");
            second = start(data, log);
            String base2 = base(log, second);
            assertFalse(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false), "the orphan was stopped");
            assertNotEquals(orphan, postmasterPid(pgdata), "a new PostgreSQL runs on the folder");
            assertTrue(Files.readString(log).contains("orphaned PostgreSQL"), "the log says why");
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base2 + "/api/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
            assertEquals(1, ((Number) ((Map<?, ?>) Json.parse(health.body())).get("events")).intValue(),
                    "the event stored before the kill is there: " + health.body());

            // a graceful stop takes its PostgreSQL with it
            long pg = postmasterPid(pgdata);
            second.destroy();
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "serve stops on SIGTERM");
            Optional<ProcessHandle> server = ProcessHandle.of(pg);
            if (server.isPresent()) {
                server.get().onExit().get(30, TimeUnit.SECONDS);
            }
            assertFalse(ProcessHandle.of(pg).map(ProcessHandle::isAlive).orElse(false), "PostgreSQL stopped with serve");
        } finally {
            if (second != null && second.isAlive()) {
                second.destroyForcibly();
            }
            // never leave a server behind, whatever failed
            kill(orphan);
            if (Files.exists(pgdata.resolve("postmaster.pid"))) {
                kill(postmasterPid(pgdata));
            }
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    @DisplayName("SIGTERM of serve with the embedded database: PostgreSQL stops last, after serve stored what it had taken")
    void gracefulStopStopsPostgresLast(@TempDir Path data) throws Exception {
        Path logs = Files.createDirectories(Path.of("engine/target/fault-logs"));
        Path log = logs.resolve("embedded-sigterm.log");
        // the two stops are logged at INFO (tests log warnings only: simplelogger.properties)
        Process serve = start(data, log, "-Dorg.slf4j.simpleLogger.log.pm.monitor.store.Database=info",
                "-Dorg.slf4j.simpleLogger.log.io.zonky.test.db.postgres.embedded.EmbeddedPostgres=info");
        try {
            String base = base(log, serve);
            // work in flight at the stop: findings being stored and routed to alerts
            java.io.StringWriter events = new java.io.StringWriter();
            new pm.monitor.bench.Generator(6, 4, java.time.LocalDate.of(2026, 3, 2), 3, 40, 4).write(events);
            HttpResponse<String> posted = post(base + "/api/events", events.toString());
            assertEquals(200, posted.statusCode(), posted.body());
            serve.destroy();
            assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "serve stops on SIGTERM");
            String text = Files.readString(log);
            int closing = text.indexOf("stopping the embedded PostgreSQL");
            // PostgreSQL's own "received fast shutdown request" is not always in the log when the
            // process ends; the library's line after pg_ctl stop is
            int pgStops = Math.max(text.indexOf("received fast shutdown request"), text.indexOf("shut down postmaster"));
            assertTrue(closing >= 0 && pgStops >= 0, "both stops are logged:\n" + tail(log));
            // Before, the library's own shutdown hook stopped PostgreSQL at the signal, while
            // serve's hook was still closing ingest, the engines and the finding writer.
            assertTrue(pgStops > closing, "PostgreSQL was stopped before serve let it go:\n" + tail(log));
            assertFalse(text.contains("terminating connection due to administrator command"),
                    "serve's last writes met a stopping PostgreSQL:\n" + tail(log));
        } finally {
            if (serve.isAlive()) {
                serve.destroyForcibly();
            }
            if (Files.exists(data.resolve("pgdata").resolve("postmaster.pid"))) {
                kill(postmasterPid(data.resolve("pgdata")));
            }
        }
    }

    private static Process start(Path data, Path log, String... properties) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(List.of(properties));
        cmd.addAll(List.of("-cp", cp, "pm.monitor.cli.Main", "serve",
                "--data", data.toString(), "--port", "0", "--clock", "events", "--rules", "rules", "--shards", "2",
                "--no-watch"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits for "serving on"; fails at once if serve exits: the first try must succeed. */
    private static String base(Path log, Process p) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end) {
            Matcher m = SERVING.matcher(Files.readString(log));
            if (m.find()) {
                return "http://localhost:" + m.group(1);
            }
            if (!p.isAlive()) {
                fail("serve exited with " + p.exitValue() + " before serving:\n" + tail(log));
            }
            Thread.sleep(50);
        }
        fail("serve did not start within 120 s:\n" + tail(log));
        return null;
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long postmasterPid(Path pgdata) throws IOException {
        return Long.parseLong(Files.readAllLines(pgdata.resolve("postmaster.pid")).get(0).strip());
    }

    private static void kill(long pid) {
        Optional<ProcessHandle> p = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        p.filter(ProcessHandle::isAlive).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
    }

    private static String tail(Path log) throws IOException {
        String s = Files.readString(log);
        return s.substring(Math.max(0, s.length() - 4000));
    }
}
