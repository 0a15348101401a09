package pm.monitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What --help promises is what the command does. */
class CommandHelpTest {

    @Test
    @DisplayName("benchmark --help documents every option it takes")
    void benchmarkOptions() {
        for (String o : BenchmarkCommand.OPTIONS) {
            assertTrue(BenchmarkCommand.HELP.contains("  " + o + " "), o + " is not in benchmark --help");
        }
        assertTrue(BenchmarkCommand.HELP.contains("  --shared "), "--shared");
    }

    @Test
    @DisplayName("user --help documents every option it takes, and says the password is never an argument")
    void userOptions() {
        for (String o : UserCommand.OPTIONS) {
            assertTrue(UserCommand.HELP.contains(o + " "), o + " is not in user --help");
        }
        assertTrue(UserCommand.HELP.contains("standard input"), UserCommand.HELP);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"user", "--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err));
        assertEquals(UserCommand.HELP, out.toString(StandardCharsets.UTF_8));
        assertTrue(Main.USAGE.contains("  user "), "the command is listed in the usage");
    }

    @Test
    @DisplayName("generate --help says how many events the defaults give, and they do")
    void generateDefaults(@TempDir Path tmp) throws Exception {
        Matcher m = Pattern.compile("give ([0-9,]+) events").matcher(GenerateCommand.HELP.replaceAll("\\s+", " "));
        assertTrue(m.find(), GenerateCommand.HELP);
        long promised = Long.parseLong(m.group(1).replace(",", ""));
        Path out = tmp.resolve("events.ndjson");
        int code = Main.run(new String[] {"generate", "--out", out.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        try (var lines = Files.lines(out)) {
            assertEquals(promised, lines.count());
        }
    }
}
