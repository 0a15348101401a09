package pm.monitor.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.cli.Main;

/** serve's settings: defaults in one place, a config file under the environment under the command line, all checked at start. */
class ConfigTest {

    static Config.Builder builder() {
        return Config.builder().folders(Path.of("rules"), Path.of("db"), Path.of("dashboard"));
    }

    @Test
    @DisplayName("dashboard sessions: 12 h idle and 7 days at most by default; both settable, zero refused")
    void sessionLimits() {
        assertEquals(new pm.monitor.access.SessionLimits(Duration.ofHours(12), Duration.ofDays(7)), builder().build().sessions());
        Config c = builder().set("session-idle", "PT30M", "--session-idle").env(java.util.Map.of("MONITOR_SESSION_MAX", "PT8H"))
                .build();
        assertEquals(Duration.ofMinutes(30), c.sessions().idle());
        assertEquals(Duration.ofHours(8), c.sessions().absolute());
        Config.Invalid e = assertThrows(Config.Invalid.class, () -> builder().set("session-idle", "PT0S", "--session-idle").build());
        assertTrue(e.getMessage().contains("--session-idle") && e.getMessage().contains("session-idle"), e.getMessage());
    }

    @Test
    @DisplayName("the defaults: port 8080, embedded PostgreSQL in var, wall clock, open until a token, 10 minutes' lateness")
    void defaults() {
        Config c = builder().build();
        assertEquals(8080, c.port());
        assertEquals(null, c.dbUrl());
        assertEquals(Path.of("var"), c.dataDir());
        assertEquals(Config.ClockMode.WALL, c.clockMode());
        assertEquals(Config.AuthMode.AUTO, c.authMode());
        assertEquals(Duration.ofMinutes(10), c.lateness());
        assertEquals(16 << 20, c.maxBodyBytes());
        assertEquals(Config.DEFAULT_MAX_LINE, c.maxLineBytes());
        assertTrue(c.fsync());
        assertTrue(c.watchRules());
        assertEquals("wall", c.clock());
        assertEquals("auto", c.auth());
    }

    @Test
    @DisplayName("file < environment < command line; the file's comments and blank lines are skipped")
    void precedence(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("monitor.conf");
        Files.writeString(file, "# the history server\nport = 9000\nclock = events\n\nlateness = PT1H\nwatch = false\n");
        Config c = builder().file(file).env(Map.of("MONITOR_PORT", "9100", "MONITOR_AUTH", "required"))
                .set("port", "9200", "--port").build();
        assertEquals(9200, c.port(), "the command line wins");
        assertEquals(Config.ClockMode.EVENTS, c.clockMode(), "from the file");
        assertEquals(Config.AuthMode.REQUIRED, c.authMode(), "from the environment");
        assertEquals(Duration.ofHours(1), c.lateness());
        assertTrue(!c.watchRules());
        assertEquals(9100, builder().file(file).env(Map.of("MONITOR_PORT", "9100")).build().port(),
                "the environment over the file");
    }

    @Test
    @DisplayName("--kafka is opt-in (no Kafka by default) and needs --db: the instances of a cluster share one PostgreSQL")
    void kafka() {
        assertEquals(null, builder().build().kafka(), "one node by default");
        Config c = builder().set("kafka", "k1:9092,k2:9092", "--kafka").set("db", "jdbc:postgresql://db:5432/m", "--db")
                .build();
        assertEquals("k1:9092,k2:9092", c.kafka());
        Config.Invalid e = assertThrows(Config.Invalid.class, () -> builder().set("kafka", "k1:9092", "--kafka").build());
        assertEquals(List.of("--kafka: kafka needs db: the instances of a cluster share one PostgreSQL server "
                + "(--db jdbc:postgresql://...)"), e.problems());
    }

    @Test
    @DisplayName("every setting that cannot be used is reported at once, with where it came from")
    void validation(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("monitor.conf");
        Files.writeString(file, "port = eighty\ncolour = red\nclock = fast\nmax-line = 999999999\nmax-body = 2048\n");
        Config.Invalid e = assertThrows(Config.Invalid.class, () -> builder().file(file)
                .env(Map.of("MONITOR_LATENESS", "-PT1M")).set("rules", tmp.resolve("none").toString(), "--rules").build());
        String all = String.join("\n", e.problems());
        assertTrue(all.contains(file + ":1: port must be a whole number, not \"eighty\""), all);
        assertTrue(all.contains(file + ":2: unknown setting colour"), all);
        assertTrue(all.contains(file + ":3: clock must be wall or events, not \"fast\""), all);
        assertTrue(all.contains("MONITOR_LATENESS: lateness must be an ISO-8601 duration"), all);
        assertTrue(all.contains("--rules: no rules folder at"), all);
        assertTrue(all.contains("max-line (999999999) is larger than max-body (2048)"), all);
        assertEquals(6, e.problems().size(), all);
    }

    @Test
    @DisplayName("serve --config with a bad line stops before starting anything, exit code 2, naming FILE:LINE")
    void serveRefusesABadFile(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("bad.conf");
        Files.writeString(file, "port = 8080\nauth = sometimes\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"serve", "--config", file.toString(), "--data", tmp.resolve("var").toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, text);
        assertTrue(text.contains(file + ":2: auth must be auto or required, not \"sometimes\""), text);
        assertTrue(!Files.exists(tmp.resolve("var")), "nothing was started");
    }
}
