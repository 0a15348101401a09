package pm.monitor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.bench.Generator;
import pm.monitor.support.Rules;

/** {@code replay} as a user runs it: a file or stdin, the temporary folder, the summary line. */
class ReplayCommandTest {

    @TempDir
    Path dir;

    @Test
    @DisplayName("events on stdin give the same output as the same file; the temporary files are removed")
    void stdinAsAFile() throws Exception {
        StringWriter w = new StringWriter();
        new Generator(3, 3, LocalDate.of(2026, 3, 2), 9, 10, 4).write(w);
        Path events = Files.writeString(dir.resolve("events.ndjson"), w.toString());
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String rules = Rules.dir().toString();
        OperatorErrorsTest.Run fromFile = OperatorErrorsTest.run("replay", "--events", events.toString(), "--rules", rules,
                "--out", dir.resolve("a.ndjson").toString(), "--tmp", tmp.toString());
        assertEquals(0, fromFile.code(), fromFile.err());
        InputStream stdin = System.in;
        OperatorErrorsTest.Run fromStdin;
        try {
            System.setIn(new ByteArrayInputStream(w.toString().getBytes(StandardCharsets.UTF_8)));
            fromStdin = OperatorErrorsTest.run("replay", "--events", "-", "--rules", rules,
                    "--out", dir.resolve("b.ndjson").toString(), "--tmp", tmp.toString());
        } finally {
            System.setIn(stdin);
        }
        assertEquals(0, fromStdin.code(), fromStdin.err());
        String a = Files.readString(dir.resolve("a.ndjson"));
        assertTrue(a.lines().count() > 50, "findings and KPIs written");
        assertEquals(a, Files.readString(dir.resolve("b.ndjson")));
        assertTrue(fromStdin.err().contains("events read (0 rejected, 0 duplicates)"), fromStdin.err());
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.count(), "nothing left in --tmp");
        }
    }

    @Test
    @DisplayName("a --tmp that is not a writable folder is a usage error before any work")
    void badTmp() {
        OperatorErrorsTest.Run r = OperatorErrorsTest.run("replay", "--events", "x.ndjson", "--tmp",
                dir.resolve("missing").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--tmp") && r.err().contains("not a folder"), r.err());
    }
}
