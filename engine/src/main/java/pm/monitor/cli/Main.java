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
              clauses    the handbook clauses the rules cite, with the sentences they quote (docs/clauses.md)
              test       run the rule scenarios (NDJSON events with their expected findings)
              generate   write a realistic, seeded event stream (NDJSON) for tests and benchmarks
              benchmark  measure replay throughput against the no-rules baseline
              import     turn a ticket log exported from another system (CSV, XLSX) into events
              token      create, list and revoke API tokens (the API is open until one exists)
              user       add, list, disable people who log in to the dashboard with a password

            Run a command with --help for its options; --version says what this jar was built from
            and the version of the rules folder it would run.
            """;

    public static void main(String[] args) {
        // jOOQ's banner and tips are noise in a service's log
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        // The token command talks to the database the way serve does; what the embedded
        // PostgreSQL and the pool say on the way (initdb, start, migrations) is serve's log, not
        // this command's output. Warnings still show.
        if (args.length > 0 && (args[0].equals("token") || args[0].equals("user"))
                && System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // The Kafka clients of serve --kafka log their whole configuration, and every reconnection, at info
        if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
        }
        System.exit(run(args, System.out, System.err));
    }

    /**
     * The jar's version and commit, and the version of the rules folder {@code serve} would run
     * (MONITOR_RULES, else ./rules or the checkout's): the content hash every finding carries as
     * {@code rulesVersion}, computed without compiling.
     */
    static String version() {
        String env = System.getenv("MONITOR_RULES");
        java.nio.file.Path rules = env != null && !env.isBlank() ? java.nio.file.Path.of(env) : Home.folder("rules");
        String rulesVersion = pm.monitor.rules.RuleBook.version(rules);
        return "monitor " + pm.monitor.app.Version.CURRENT.describe() + "\n"
                + "rules " + (rulesVersion == null ? "(no rules folder at " + rules.toAbsolutePath().normalize() + ")"
                : rulesVersion + " in " + rules.toAbsolutePath().normalize()) + "\n"
                + "java " + System.getProperty("java.version") + "\n";
    }

    /** Runs a command and returns its exit code (0 ok, 1 failure, 2 bad usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (args[0].equals("--version") || args[0].equals("version")) {
            out.print(version());
            return 0;
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
                case "clauses" -> new ClausesCommand(out).run(rest);
                case "import" -> new ImportCommand(out, err).run(rest);
                case "token" -> new TokenCommand(out, err).run(rest);
                case "user" -> new UserCommand(out, err, System.in, System.console()).run(rest);
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
