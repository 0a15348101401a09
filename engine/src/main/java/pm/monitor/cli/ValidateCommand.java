package pm.monitor.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import pm.monitor.rules.Problem;
import pm.monitor.rules.RuleBook;

/** {@code validate --rules DIR}: every error of a rules folder, with file and line. */
final class ValidateCommand {
    static final String HELP = """
            Usage: validate [--rules DIR]

            Compiles the DRL files, reads parameters.conf and the calendars of a rules folder and
            reports every problem as FILE:LINE: message. Exit code 0 when the folder is good, 1 when
            it has problems, 2 on bad usage.

              --rules DIR   the rules folder (default: ./rules, or the checkout's rules/)
            """;

    private final PrintStream out;
    private final PrintStream err;

    ValidateCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) {
        Args args = new Args(argv, 0, Set.of("--rules"), Set.of());
        if (args.help()) {
            out.print(HELP);
            return 0;
        }
        Path dir = args.get("--rules") != null ? Path.of(args.get("--rules")) : Home.folder("rules");
        long start = System.nanoTime();
        List<Problem> problems = new java.util.ArrayList<>();
        pm.monitor.rules.RuleSet set = RuleBook.compile(dir, problems, java.time.Clock.systemUTC());
        if (problems.isEmpty()) {
            out.printf("%s: OK — %d rules, %d parameters, calendars %s, version %s (%d ms)%n", dir,
                    set.rules().size(), set.parameters().defaults().size(),
                    set.calendars().all().values().stream().map(c -> c.name() + " " + c.describeYears()).toList(),
                    set.version(), (System.nanoTime() - start) / 1_000_000);
            return 0;
        }
        for (Problem p : problems) {
            err.println(dir.resolve(p.file()).normalize() + (p.line() > 0 ? ":" + p.line() : "") + ": " + p.message());
        }
        err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in " + dir);
        return 1;
    }
}
