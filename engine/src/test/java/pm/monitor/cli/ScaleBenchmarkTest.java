package pm.monitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.support.Rules;
import pm.monitor.support.TestDatabase;

/**
 * Issue 21's "done when": the scale benchmark prints every figure on a fresh clone, run as a
 * user runs it ({@code java -jar monitor.jar benchmark --sections scale}), here on a small N so
 * that it fits in the test run. Each figure must come from a process that exited cleanly.
 */
@Tag("process")
class ScaleBenchmarkTest {

    @Test
    @DisplayName("benchmark --sections scale prints every figure of issue 21, each from a process that exited 0")
    void printsEveryFigure(@TempDir Path work) throws Exception {
        Path jar = Path.of("engine", "target", "monitor.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "the packaged jar, built before the integration tests: " + jar);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = work.resolve("benchmark.log");
        Process p = new ProcessBuilder(java, "-jar", jar.toString(), "benchmark", "--sections", "scale",
                "--scale-events", "20000", "--rules", Rules.dir().toAbsolutePath().toString(),
                "--db", TestDatabase.serverUrl())
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(8, TimeUnit.MINUTES), "the benchmark did not end in 8 minutes");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);

        for (String figure : List.of("one-off replay", "one-off, quick loop", "baseline, no rules",
                "replay, full catalog", "replay, a quarter", "backtest, 2 versions", "serve first start",
                "serve restart")) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(figure) + ":\\s+([\\d,]+) events\\s+([\\d.]+) s\\s+([\\d,]+) events/s"
                    + "\\s+max RSS\\s+([\\d,]+) MB(.*)$").matcher(out);
            assertTrue(m.find(), "no figure for " + figure + " in:\n" + out);
            assertTrue(Long.parseLong(m.group(1).replace(",", "")) > 0, figure + ": " + m.group());
            assertTrue(Long.parseLong(m.group(4).replace(",", "")) > 0, figure + ": no max RSS: " + m.group());
            assertFalse(m.group(5).contains("(exit"), figure + " did not exit cleanly: " + m.group());
            if (!figure.startsWith("baseline")) {
                assertTrue(m.group(5).matches(".*target .*: (met|missed)$"), figure + " has no verdict: " + m.group());
            }
        }
        assertTrue(out.matches("(?s).*max RSS, [\\d,]+ vs [\\d,]+ events: \\d+% apart \\(target: within 20%: (met|missed)\\).*"), out);
        assertTrue(out.matches("(?s).*of which: database ready [\\d.]+ s; rules loaded [\\d.]+ s, state rebuilt in .*"), out);
        assertTrue(out.matches("(?s).*projection: 1,000,000,000 events at [\\d,]+ events/s = [\\d.]+ h on this machine.*"), out);
        // nothing left behind but the log: the generated files are removed at the end
        try (var files = Files.walk(work)) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".ndjson")).toList());
        }
    }
}
