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
            Usage: benchmark [--sections replay,scale,ingest,heap,rebuild,deadline,soak,faults] [--scale-events N] [--communities N] [--days D]
                             [--tickets-per-day T] [--events FILE] [--rules DIR] [--threads N] [--rounds R]
                             [--db URL] [--ingest-seconds S] [--clients C] [--batch B] [--shared] [--rate R] [--warmup S]
                             [--soak-minutes M] [--soak-rate R] [--rebuild-communities N] [--kills K]

            Measures the real code and prints every figure:
              replay    on the same generated events: parsing alone; the no-rules baseline (parse,
                        order by event time, route to each community's thread); replay with the full
                        catalog; their ratio. Best of --rounds runs after a warm-up.
              scale     one fresh process per figure, as a user runs it (JVM start to exit, the README's
                        commands' JVM options): --scale-events N generated events (default 10,000,000,
                        seeded; about 1.7 GB written beside the data, removed after): replay with the
                        full catalog and without rules (baseline), replay of a quarter of them (max RSS
                        flat in N?), a one-off replay of 100,000 events, a backtest of two rule versions
                        (contact limit 2h vs 90min), and the start-up rebuild of `serve` from the N
                        events stored (--db, else an embedded PostgreSQL): the wall, events/s and max
                        RSS of each against issue 21's target, and the projection for 10^9 events
              ingest    HTTP ingest into PostgreSQL with durable acknowledgements for --ingest-seconds
                        (default 60) from --clients (default 4) posting --batch events (default 500),
                        and the latency from a POST to the finding it triggers on the live stream;
                        each client posts to its own communities, or with --shared all to all (their
                        batches overtake one another: late events, applied by community rebuilds);
                        --rate R paces the clients to R events/s in all (latency below saturation);
                        the first --warmup seconds (default 10) are not counted
              heap      heap per open ticket at 100,000 and 1,000,000 open tickets
              rebuild   start-up time with about 1,000,000 stored events (--rebuild-communities, default
                        120, × 30 days; state rebuilt from them), then a reload of a changed limit
                        with them all in memory
              deadline  lag from a wall-clock deadline to its finding in serve
              soak      --soak-minutes (default 30) at --soak-rate events/s (default 5000): generated
                        days of --communities (default 100) posted in order, --batch (default 500) per
                        POST, the service's clock following the events; events sent, acknowledged,
                        rejected, failed requests (--batch default 2000 here), and the used heap after GC every 30 s with its trend
                        (MB/min). Not part of the tests: run it by hand, e.g. with java -Xmx2g.
              faults    the fault run (needs --db): serve in a child JVM (--clock events), --clients
                        (default 2) posting --batch events (default 500) each for its own communities,
                        --kills (default 2) kill -9 of the service during the run, each followed by a
                        restart on the same database; then acknowledged vs stored events and stored
                        findings vs an offline replay of the same events, printed; run twice: the
                        clean stream (--communities, default 20, × --days, default 10), and the same
                        with one malformed and one ten-months-ahead event mixed in (both must be
                        refused with their reasons). Exits 1 unless nothing is lost and nothing false.
            PostgreSQL: --db URL (a fresh schema is made there), else an embedded one in var-bench/.
            Runs and their history: docs/benchmarks.md.

              --sections LIST       which of replay, scale, ingest, heap, rebuild, deadline, soak, faults (default replay)
              --scale-events N      scale: events generated (default 10000000)
              --scale-jvm "OPTS"    scale: the replay and backtest processes' JVM options (default
                                    "-XX:+UseParallelGC -Xmx1g", the README's; "" for the JVM's defaults)
              --communities N       replay and soak: communities generated (default 100)
              --days D              replay: days generated (default 30)
              --tickets-per-day T   tickets per community and day generated (default 40)
              --events FILE         replay: these events instead of generated ones
              --rules DIR           the rules folder (default ./rules or the checkout's)
              --threads N           replay: engine threads (default: the cores)
              --rounds R            replay: measured rounds after the warm-up; the best counts (default 3)
              --db URL              ingest, rebuild, deadline, soak, scale: a PostgreSQL server (a fresh schema)
              --ingest-seconds S    ingest: how long to measure (default 60)
              --warmup S            ingest: seconds not counted at the start (default 10)
              --clients C           ingest: concurrent clients (default 4)
              --batch B             events per POST (ingest default 500, soak default 2000)
              --shared              ingest: every client posts to every community (late events)
              --rate R              ingest: pace the clients to R events/s in all (default 0: as fast as they can)
              --soak-minutes M      soak: how long (default 30)
              --soak-rate R         soak: events/s (default 5000)
              --rebuild-communities N  rebuild: communities × 30 days stored before the start (default 120)
              --kills K             faults: kill -9 of the service during each run (default 2)
            """;

    /** Every option: each is in HELP (CommandHelpTest). */
    static final Set<String> OPTIONS = Set.of("--communities", "--days", "--tickets-per-day", "--events", "--rules",
            "--threads", "--rounds", "--sections", "--db", "--ingest-seconds", "--clients", "--batch", "--soak-minutes",
            "--soak-rate", "--rate", "--warmup", "--rebuild-communities", "--scale-events", "--kills", "--scale-jvm");

    private final PrintStream out;
    private final PrintStream err;

    BenchmarkCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) throws Exception {
        Args args = new Args(argv, 0, OPTIONS, Set.of("--shared"));
        if (args.help()) {
            out.print(HELP);
            return 0;
        }
        Path rulesDir = args.get("--rules") != null ? Path.of(args.get("--rules")) : Home.folder("rules");
        RuleSet rules = RuleBook.load(rulesDir, Clock.systemUTC());
        int threads = Integer.parseInt(args.get("--threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        int rounds = Integer.parseInt(args.get("--rounds", "3"));
        java.util.List<String> sections = java.util.List.of(args.get("--sections", "replay").split(","));
        out.printf("machine: %d cores, Java %s, max heap %d MB%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        pm.monitor.bench.ServiceBench service = new pm.monitor.bench.ServiceBench(out, args.get("--db"), rulesDir,
                rulesDir.toAbsolutePath().getParent());
        boolean faultsOk = true;
        if (sections.contains("faults")) {
            faultsOk = new pm.monitor.bench.FaultBench(out, args.get("--db"), rulesDir, rules,
                    rulesDir.toAbsolutePath().getParent().resolve("var-faults")).run(
                    Integer.parseInt(args.get("--communities", "20")), Integer.parseInt(args.get("--days", "10")),
                    Integer.parseInt(args.get("--tickets-per-day", "40")), Integer.parseInt(args.get("--clients", "2")),
                    Integer.parseInt(args.get("--batch", "500")), Integer.parseInt(args.get("--kills", "2")));
        }
        if (sections.contains("heap")) {
            service.heap(rules, 100_000);
            service.heap(rules, 1_000_000);
        }
        if (sections.contains("deadline")) {
            service.deadlines(50);
        }
        if (sections.contains("ingest")) {
            service.ingest(Integer.parseInt(args.get("--ingest-seconds", "60")), Integer.parseInt(args.get("--warmup", "10")),
                    Integer.parseInt(args.get("--clients", "4")),
                    Integer.parseInt(args.get("--batch", "500")), args.flag("--shared"),
                    Integer.parseInt(args.get("--rate", "0")));
        }
        if (sections.contains("soak")) {
            service.soak(Integer.parseInt(args.get("--soak-minutes", "30")), Integer.parseInt(args.get("--soak-rate", "5000")),
                    Integer.parseInt(args.get("--communities", "100")), Integer.parseInt(args.get("--batch", "2000")));
        }
        if (sections.contains("rebuild")) {
            service.rebuild(Integer.parseInt(args.get("--rebuild-communities", "120")), 30);
        }
        if (sections.contains("scale")) {
            java.net.URI self = BenchmarkCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI();
            if (!self.getPath().endsWith(".jar")) {
                err.println("benchmark: the scale section runs monitor.jar as a user does; run it with java -jar monitor.jar");
                return 2;
            }
            new pm.monitor.bench.ScaleBench(out, Path.of(self), rulesDir, Path.of("var-bench", "scale"),
                    args.get("--scale-jvm", "-XX:+UseParallelGC -Xmx1g").isBlank() ? java.util.List.of()
                            : java.util.List.of(args.get("--scale-jvm", "-XX:+UseParallelGC -Xmx1g").trim().split("\\s+")),
                    args.get("--db")).run(Long.parseLong(args.get("--scale-events", "10000000")));
        }
        if (!sections.contains("replay")) {
            return faultsOk ? 0 : 1;
        }
        String events = args.get("--events") != null ? ReplayBench.read(Path.of(args.get("--events")))
                : ReplayBench.generate(Integer.parseInt(args.get("--communities", "100")),
                Integer.parseInt(args.get("--days", "30")), Integer.parseInt(args.get("--tickets-per-day", "40")));
        ReplayBench.Figures best = null;
        for (int i = 0; i <= rounds; i++) {
            ReplayBench.Figures f = ReplayBench.run(events, rules, threads);
            out.printf("%s: %d events; parse %.0f ev/s; baseline %.0f ev/s; full catalog %.0f ev/s (engines %.2f µs CPU per event); %d findings%n",
                    i == 0 ? "warm-up" : "round " + i, f.events(), f.parseRate(), f.baselineRate(), f.rulesRate(),
                    f.engineMicrosPerEvent(), f.findings());
            if (i > 0 && (best == null || f.rulesRate() > best.rulesRate())) {
                best = f;
            }
        }
        out.printf("%nreplay, full catalog:   %,.0f events/s%n", best.rulesRate());
        out.printf("baseline, no rules:     %,.0f events/s%n", best.baselineRate());
        out.printf("rules cost:             %.2f× the baseline%n", best.baselineRate() / best.rulesRate());
        return faultsOk ? 0 : 1;
    }
}
