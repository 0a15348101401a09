package pm.monitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.support.TestDatabase;

/** {@code token list} as an operator runs it (a JVM of its own, the jar's logging): its answer, not the database's log. */
@Tag("process")
class TokenListQuietTest {

    @Test
    @DisplayName("token list with no tokens: one line saying so, no INFO lines of the pool, migrations or PostgreSQL")
    void noNoise() throws Exception {
        // the main class path only: the tests' simplelogger.properties (warnings only) must not hide the noise
        String cp = Arrays.stream(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                .split(File.pathSeparator)).filter(e -> !e.endsWith("test-classes")).collect(Collectors.joining(File.pathSeparator));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-cp", cp, "pm.monitor.cli.Main", "token", "list",
                "--db", TestDatabase.freshSchemaUrl()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertEquals("", out, "no tokens to list");
        List<String> lines = err.strip().lines().toList();
        assertEquals(1, lines.size(), "one line: " + err);
        assertTrue(lines.get(0).startsWith("no tokens: the API is open"), err);
    }
}
