package pm.monitor.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import pm.monitor.rules.ClauseIndex;

/** {@code clauses}: the page of the handbook clauses the rules cite, with the sentences they quote (docs/clauses.md). */
final class ClausesCommand {
    static final String HELP = """
            Usage: clauses [--rules DIR] [--out FILE]

            Writes, as Markdown, every handbook clause the rules of DIR cite (their @clause), the rules
            that enforce it, and for every rule the handbook's sentences its comment quotes. The
            repository keeps it as docs/clauses.md: after changing a rule's clause or comment, run
              java -jar engine/target/monitor.jar clauses --out docs/clauses.md
            (a test fails while the committed page differs). Without --out it prints the page.
            """;

    private final PrintStream out;

    ClausesCommand(PrintStream out) {
        this.out = out;
    }

    int run(String[] argv) throws Exception {
        Args args = new Args(argv, 0, Set.of("--rules", "--out"), Set.of());
        if (args.help()) {
            out.print(HELP);
            return 0;
        }
        Path rules = args.get("--rules") != null ? Path.of(args.get("--rules")) : Home.folder("rules");
        if (!Files.isDirectory(rules)) {
            throw new Args.UsageException("no rules folder at " + rules.toAbsolutePath().normalize());
        }
        String page = ClauseIndex.markdown(rules);
        if (args.get("--out") == null) {
            out.print(page);
        } else {
            Files.writeString(Path.of(args.get("--out")), page, StandardCharsets.UTF_8);
            out.println("wrote " + args.get("--out"));
        }
        return 0;
    }
}
