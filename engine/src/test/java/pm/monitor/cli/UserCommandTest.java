package pm.monitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.support.Rules;
import pm.monitor.support.TestDatabase;
import pm.monitor.support.TestServer;

/** {@code user add/list/disable}: the password comes from standard input, never the command line, and the user logs in. */
@Tag("server")
class UserCommandTest {

    private static int run(String stdin, ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        try {
            return new UserCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
                    StandardCharsets.UTF_8), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), null).run(args);
        } catch (Args.UsageException e) {
            return 2; // as Main answers it
        }
    }

    @Test
    @DisplayName("user add reads the password from stdin; the user logs in to the running service; list shows no hash; disable ends it")
    void addListDisable() {
        String db = TestDatabase.freshSchemaUrl();
        try (TestServer server = TestServer.start(db, Rules.dir(), "events", c -> c)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertEquals(1, run("short\n", out, err, "add", "wang", "--role", "viewer", "--db", db));
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("8"), "too short a password is refused: " + err);
            err.reset();
            assertEquals(0, run("王的密码 good one\n", out, err, "add", "wang", "--role", "viewer", "--communities", "C0001",
                    "--display-name", "王质检", "--db", db), err.toString(StandardCharsets.UTF_8));
            assertEquals(1, run("王的密码 good one\n", out, err, "add", "wang", "--role", "viewer", "--db", db),
                    "a name is taken once");
            assertEquals(2, run("", out, err, "add", "zhao", "--role", "boss", "--db", db));

            server.app().access().refresh(); // what the service's periodic refresh does
            var login = server.request("POST", "/api/login", "{\"user\":\"wang\",\"password\":\"王的密码 good one\"}",
                    "Content-Type", "application/json");
            assertEquals(200, login.statusCode(), login.body());
            assertEquals("王质检", TestServer.json(login).get("displayName"));

            out.reset();
            assertEquals(0, run("", out, err, "list", "--db", db));
            String list = out.toString(StandardCharsets.UTF_8);
            assertTrue(list.contains("wang") && list.contains("viewer") && list.contains("C0001"), list);
            assertFalse(list.contains("$2a$") || list.contains("good one"), "no hash, no password: " + list);

            assertEquals(0, run("", out, err, "disable", "wang", "--db", db));
            assertEquals(1, run("", out, err, "disable", "wang", "--db", db), "disabled already");
            out.reset();
            assertEquals(0, run("", out, err, "list", "--db", db));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("DISABLED"), out.toString(StandardCharsets.UTF_8));
            assertEquals(401, server.request("POST", "/api/login", "{\"user\":\"wang\",\"password\":\"王的密码 good one\"}",
                    "Content-Type", "application/json").statusCode());
        }
    }
}
