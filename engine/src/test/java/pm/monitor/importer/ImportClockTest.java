package pm.monitor.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.cli.Main;
import pm.monitor.support.TestServer;

/** {@code import --to} asks the server's clock first: a log of the past goes to a serve --clock events. */
@Tag("server")
class ImportClockTest {

    @Test
    @DisplayName("import --to a wall-clock serve stops before sending a row and says to start serve --clock events")
    void wallClockServerRefused() {
        try (TestServer server = TestServer.start("wall")) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"import", "--mapping", "import/baltimore311.mapping", "--to",
                    server.url(""), "import/data/baltimore311_sample.csv"}, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            String text = err.toString(StandardCharsets.UTF_8);
            assertEquals(1, code, text);
            assertTrue(text.contains("runs on the wall clock"), text);
            assertTrue(text.contains("serve --clock events"), text);
            assertEquals(1, text.strip().lines().count(), "one message, no progress: " + text);
            assertEquals(0L, ((Number) TestServer.json(server.get("/api/health")).get("events")).longValue(),
                    "nothing was sent");
        }
    }
}
