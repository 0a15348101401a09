package pm.monitor.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL {@code serve} starts when no database is configured: nobody gets in
 * without its secret (issue 17.5), it flushes to disk (17.6), and a folder made by an older
 * version (trust authentication) is converted at its first start with its data kept.
 */
@Tag("process")
class EmbeddedDatabaseTest {

    @Test
    @DisplayName("a fresh folder: without the secret refused, with it in; secret owner-only; loopback, no socket; fsync and synchronous_commit on")
    void freshFolder(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pgdata");
        try (Database db = Database.embedded(dir, 0)) {
            int port = db.embeddedPort();
            Path secretFile = dir.resolve(EmbeddedSetup.SECRET_FILE);
            assertTrue(Files.exists(secretFile), "the secret is kept in the data folder");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)));
            String secret = Files.readString(secretFile).strip();
            assertTrue(secret.length() >= 40, "a long random secret: " + secret.length() + " characters");

            refused(port, null);
            refused(port, "postgres");
            refused(port, secret + "x");
            try (Connection c = connect(port, secret)) {
                assertEquals("on", show(c, "fsync"), "fsync: the library's -F is overridden");
                assertEquals("on", show(c, "synchronous_commit"));
                assertEquals("localhost", show(c, "listen_addresses"));
                assertEquals("", show(c, "unix_socket_directories"), "no Unix socket");
                assertEquals("scram-sha-256", show(c, "password_encryption"));
                hbaAllowsOnlyScramOverLoopback(c);
            }
            // the service's own pool goes in with the secret
            assertEquals(1, db.dsl().fetchValue("select 1"));
        }
    }

    @Test
    @DisplayName("restarts reuse the secret; the setting turns fsync off (for tests)")
    void restartAndFsyncSetting(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pgdata");
        try (Database db = Database.embedded(dir, 0)) {
            db.dsl().execute("create table kept (x int)");
            db.dsl().execute("insert into kept values (7)");
        }
        String secret = Files.readString(dir.resolve(EmbeddedSetup.SECRET_FILE)).strip();
        try (Database db = Database.embedded(dir, 0, false)) {
            assertEquals(secret, Files.readString(dir.resolve(EmbeddedSetup.SECRET_FILE)).strip(), "the same secret");
            assertEquals(7, db.dsl().fetchValue("select x from kept"));
            refused(db.embeddedPort(), null);
            try (Connection c = connect(db.embeddedPort(), secret)) {
                assertEquals("off", show(c, "fsync"));
            }
        }
    }

    @Test
    @DisplayName("a folder made by the previous version (trust for all) gets the password at its first start, data kept")
    void upgradeFromTrust(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pgdata");
        // what the previous version made: the library's defaults (initdb -A trust)
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).start();
             Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create table kept (x int)");
            s.execute("insert into kept values (42)");
        }
        assertTrue(Files.readString(dir.resolve("pg_hba.conf")).lines().anyMatch(l -> l.matches("^host\\s.*trust\\s*$")),
                "the old folder trusted local connections");
        assertFalse(Files.exists(dir.resolve(EmbeddedSetup.SECRET_FILE)));

        try (Database db = Database.embedded(dir, 0)) {
            int port = db.embeddedPort();
            assertEquals(42, db.dsl().fetchValue("select x from kept"), "the data is kept");
            refused(port, null);
            String secret = Files.readString(dir.resolve(EmbeddedSetup.SECRET_FILE)).strip();
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve(EmbeddedSetup.SECRET_FILE))));
            try (Connection c = connect(port, secret)) {
                hbaAllowsOnlyScramOverLoopback(c);
            }
        }
    }

    @Test
    @DisplayName("a secret file others could read is made owner-only at start")
    void looseSecretTightened(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pgdata");
        Database.embedded(dir, 0).close();
        Path secretFile = dir.resolve(EmbeddedSetup.SECRET_FILE);
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-r--r--"));
        try (Database db = Database.embedded(dir, 0)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)));
            assertEquals(1, db.dsl().fetchValue("select 1"));
        }
    }

    private static void hbaAllowsOnlyScramOverLoopback(Connection c) throws SQLException {
        List<String> rules = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select type, address, auth_method, error from pg_hba_file_rules")) {
            while (rs.next()) {
                rules.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
            }
        }
        assertEquals(List.of("host 127.0.0.1 scram-sha-256 null", "host ::1 scram-sha-256 null"), rules);
    }

    private static void refused(int port, String password) {
        SQLException e = assertThrows(SQLException.class, () -> connect(port, password).close(),
                "a connection " + (password == null ? "without a password" : "with a wrong password") + " is refused");
        assertTrue(e.getSQLState().equals("28P01") || e.getSQLState().equals("08004"),
                "refused for authentication: " + e.getSQLState() + " " + e.getMessage());
    }

    private static Connection connect(int port, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
    }

    private static String show(Connection c, String setting) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
