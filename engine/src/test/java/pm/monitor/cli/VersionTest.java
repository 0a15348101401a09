package pm.monitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.app.Version;
import pm.monitor.support.Rules;

/** {@code --version}: the jar's version and commit as the build wrote them, and the rules version serve would run. */
class VersionTest {

    @Test
    @DisplayName("--version names the project version, the commit built from and the rules folder's version")
    void saysWhatItIs() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"--version"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        String text = out.toString(StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        assertTrue(lines[0].startsWith("monitor 0.1.0-SNAPSHOT (commit "), text);
        // the same hash every finding of these rules carries, without compiling them
        assertEquals("rules " + Rules.real().version() + " in " + Rules.dir().toAbsolutePath().normalize(), lines[1]);

        // the commit the build wrote is the checkout's (the tests run from the build that wrote it)
        Process git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").redirectErrorStream(true).start();
        String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0) {
            assertEquals(head, Version.CURRENT.commit());
            assertTrue(lines[0].contains(head), text);
        } else {
            assertEquals("unknown", Version.CURRENT.commit(), "no git repository: " + head);
        }
    }
}
