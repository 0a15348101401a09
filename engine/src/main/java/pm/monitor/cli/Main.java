package pm.monitor.cli;

import java.io.PrintStream;
import java.util.Arrays;

/** {@code java -jar monitor.jar <command> [options]}: serve, replay, validate. */
public final class Main {
    private Main() {
    }

    static final String USAGE = """
            Property-management customer-service quality monitor (物业客服品质监控)

            Usage: java -jar engine/target/monitor.jar <command> [options]

            Commands:
              serve      the service: HTTP ingest, live dashboard, PostgreSQL storage
              replay     evaluate an event file offline and print findings and KPIs
              validate   compile the rules, parameters and calendars and report every error
              backtest   what a rules change would have done on past events (nothing stored or sent)
              coverage   from every catalog id and clause to its rules and tests
              test       run the rule scenarios (NDJSON events with their expected findings)
              generate   write a realistic, seeded event stream (NDJSON) for tests and benchmarks
              benchmark  measure replay throughput against the no-rules baseline
              import     turn a ticket log exported from another system (CSV, XLSX) into events
              token      create, list and revoke API tokens (the API is open until one exists)

            Run a command with --help for its options.
            """;

    public static void main(String[] args) {
        // jOOQ's banner and tips are noise in a service's log
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command and returns its exit code (0 ok, 1 failure, 2 bad usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "replay" -> new ReplayCommand(out, err).run(rest);
                case "validate" -> new ValidateCommand(out, err).run(rest);
                case "serve" -> new ServeCommand(out, err).run(rest);
                case "generate" -> new GenerateCommand(out, err).run(rest);
                case "benchmark" -> new BenchmarkCommand(out, err).run(rest);
                case "test" -> new TestCommand(out, err).run(rest);
                case "backtest" -> new BacktestCommand(out, err).run(rest);
                case "coverage" -> new CoverageCommand(out).run(rest);
                case "import" -> new ImportCommand(out, err).run(rest);
                case "token" -> new TokenCommand(out, err).run(rest);
                default -> {
                    err.println("unknown command \"" + args[0] + "\"\n");
                    err.print(USAGE);
                    yield 2;
                }
            };
        } catch (Args.UsageException e) {
            err.println(args[0] + ": " + e.getMessage() + " (see " + args[0] + " --help)");
            return 2;
        } catch (Exception e) {
            err.println(args[0] + ": " + e);
            return 1;
        }
    }
}
