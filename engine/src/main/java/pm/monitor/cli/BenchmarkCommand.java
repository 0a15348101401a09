package pm.monitor.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import pm.monitor.bench.ReplayBench;
import pm.monitor.rules.RuleBook;
import pm.monitor.rules.RuleSet;

/** {@code benchmark}: measures the real engine on generated events and prints the figures. */
final class BenchmarkCommand {
    static final String HELP = """
            Usage: benchmark [--communities N] [--days D] [--tickets-per-day T] [--events FILE]
                             [--rules DIR] [--threads N] [--rounds R]

            Measures, on the same events in one run: parsing alone; the no-rules baseline (parse,
            order by event time, route to each community's thread); replay with the full rule
            catalog (events/s), and the ratio of the two. Events are generated (seeded, like
            `generate`) unless --events gives a file. Each figure is the best of --rounds runs
            (default 3), after one warm-up.

              --communities N       default 100
              --days D              default 30
              --tickets-per-day T   default 40
            """;

    private final PrintStream out;
    private final PrintStream err;

    BenchmarkCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) throws Exception {
        Args args = new Args(argv, 0, Set.of("--communities", "--days", "--tickets-per-day", "--events", "--rules",
                "--threads", "--rounds"), Set.of());
        if (args.help()) {
            out.print(HELP);
            return 0;
        }
        Path rulesDir = args.get("--rules") != null ? Path.of(args.get("--rules")) : Home.folder("rules");
        RuleSet rules = RuleBook.load(rulesDir, Clock.systemUTC());
        int threads = Integer.parseInt(args.get("--threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        int rounds = Integer.parseInt(args.get("--rounds", "3"));
        String events = args.get("--events") != null ? ReplayBench.read(Path.of(args.get("--events")))
                : ReplayBench.generate(Integer.parseInt(args.get("--communities", "100")),
                Integer.parseInt(args.get("--days", "30")), Integer.parseInt(args.get("--tickets-per-day", "40")));
        out.printf("machine: %d cores, Java %s, max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        ReplayBench.Figures best = null;
        for (int i = 0; i <= rounds; i++) {
            ReplayBench.Figures f = ReplayBench.run(events, rules, threads);
            out.printf("%s: %d events; parse %.0f ev/s; baseline %.0f ev/s; full catalog %.0f ev/s; %d findings%n",
                    i == 0 ? "warm-up" : "round " + i, f.events(), f.parseRate(), f.baselineRate(), f.rulesRate(),
                    f.findings());
            if (i > 0 && (best == null || f.rulesRate() > best.rulesRate())) {
                best = f;
            }
        }
        out.printf("%nreplay, full catalog:   %,.0f events/s%n", best.rulesRate());
        out.printf("baseline, no rules:     %,.0f events/s%n", best.baselineRate());
        out.printf("rules cost:             %.2f× the baseline%n", best.baselineRate() / best.rulesRate());
        return 0;
    }
}
