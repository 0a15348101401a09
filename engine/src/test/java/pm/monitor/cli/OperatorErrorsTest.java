package pm.monitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator reads when a command cannot do its work: one line that says what is the case and what to do. */
class OperatorErrorsTest {

    record Run(int code, String out, String err, long millis) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** The embedded PostgreSQL's lock on a data folder, as a running serve holds it. */
    static FileChannel holdLock(Path data) throws Exception {
        Path pgdata = Files.createDirectories(data.resolve("pgdata"));
        FileChannel ch = FileChannel.open(pgdata.resolve("epg-lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock();
        assertTrue(lock.isValid());
        return ch;
    }

    @Test
    @DisplayName("a second serve on the same data folder: another serve is running on it (not \"could not lock …/epg-lock\")")
    void secondServeSameFolder(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("var");
        try (FileChannel held = holdLock(data)) {
            Run r = run("serve", "--data", data.toString(), "--port", "0", "--rules", "rules", "--no-watch");
            assertEquals(1, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertTrue(r.err().contains("another serve is running on data folder " + data.toAbsolutePath().normalize()),
                    r.err());
            assertTrue(r.err().contains("--data"), "says the way out: " + r.err());
            assertFalse(r.err().contains("epg-lock") || r.err().contains("could not lock"), r.err());
        }
    }

    @Test
    @DisplayName("the same port with another data folder: fails at once naming the port, before any database is built")
    void portTaken(@TempDir Path tmp) throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            Path data = tmp.resolve("other");
            Run r = run("serve", "--data", data.toString(), "--port", String.valueOf(port), "--rules", "rules", "--no-watch");
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("port " + port + " is in use"), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
            assertFalse(r.err().contains("BindException"), r.err());
            assertFalse(Files.exists(data.resolve("pgdata")), "no database was built");
            assertTrue(r.millis() < 10_000, "fast: " + r.millis() + " ms");
        }
    }

    @Test
    @Tag("slow") // waits out the 15 s a start gives Kafka to answer
    @DisplayName("serve --kafka with no Kafka there: one line, Chinese and English, within seconds, before the database is touched")
    void kafkaUnreachable() throws Exception {
        String db = pm.monitor.support.TestDatabase.freshSchemaUrl();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        Run r = run("serve", "--db", db, "--kafka", "127.0.0.1:" + port, "--port", "0", "--rules", "rules", "--no-watch");
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
        assertTrue(r.err().contains("Kafka 不可达") && r.err().contains("Kafka at 127.0.0.1:" + port + " is unreachable"),
                r.err());
        assertTrue(r.err().contains("--kafka"), "says the way out: " + r.err());
        assertTrue(r.millis() < 25_000, "within the 15 s it waits, and a little: " + r.millis() + " ms");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(db);
             java.sql.ResultSet t = c.getMetaData().getTables(null, c.getSchema(), "%", null)) {
            assertFalse(t.next(), "no migration ran: the database was not touched");
        }
    }

    @Test
    @DisplayName("token list while serve runs on the folder: one clear line that names the API to use instead")
    void tokenListWhileServing(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("var");
        try (FileChannel held = holdLock(data)) {
            Run r = run("token", "list", "--data", data.toString());
            assertEquals(1, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertTrue(r.err().startsWith("token: another serve is running on data folder"), r.err());
            assertTrue(r.err().contains("/api/tokens"), r.err());
            assertFalse(r.err().contains("IllegalStateException"), r.err());
        }
    }

    @Test
    @DisplayName("validate --rules nosuchdir names the folder once")
    void validateNoFolder() {
        Run r = run("validate", "--rules", "nosuchdir");
        assertEquals(1, r.code());
        assertEquals(1, r.err().split("nosuchdir", -1).length - 1, "the path once: " + r.err());
        assertTrue(r.err().contains("no such folder"), r.err());
    }
}
