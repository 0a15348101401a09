package pm.monitor.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import pm.monitor.app.Application;
import pm.monitor.app.Config;
import pm.monitor.rules.RulesException;

/** {@code serve}: the service. */
final class ServeCommand {
    static final String HELP = """
            Usage: serve [options]

            Runs the service: HTTP ingest (POST /api/events), the live dashboard at /, findings and
            KPIs stored in PostgreSQL. With no database configured it starts an embedded PostgreSQL
            keeping its data in var/pgdata, so a first try needs nothing installed. On start it
            rebuilds its state from the stored events; stored findings are not emitted again. A
            rules folder that does not load at start (see validate) does not stop it: it runs the
            last version that loaded and says so in GET /api/health; only a first start needs a
            good folder.

              --port N          HTTP port (env MONITOR_PORT; default 8080; 0 picks a free port)
              --db URL          a PostgreSQL server, e.g. jdbc:postgresql://127.0.0.1:5432/test
                                (env MONITOR_DB_URL; default: the embedded one)
              --db-user NAME    (env MONITOR_DB_USER)
              --db-password PW  (env MONITOR_DB_PASSWORD; never logged)
              --data DIR        where the embedded PostgreSQL keeps its data (env MONITOR_DATA; default var);
                                its superuser's password is in DIR/pgdata/monitor-secret (owner-only)
              --fsync on|off    the embedded PostgreSQL's fsync (env MONITOR_FSYNC; default on). off is for
                                throwaway test data: a power loss or OS crash may then lose acknowledged
                                events or corrupt the database
              --rules DIR       the rules folder (env MONITOR_RULES; default ./rules or the checkout's)
              --clock MODE      wall: deadlines pass on the wall clock (default); events: the clock
                                moves only with the events and POST /api/clock, for back-filling history
                                (env MONITOR_CLOCK)
              --shards N        engine threads (default: the number of cores)
              --max-body BYTES  largest accepted request body (default 16777216)
              --lateness DUR    how far behind its community's clock (event time) an event is still
                                applied, as an ISO-8601 duration (default PT10M); later ones are stored,
                                flagged and listed at GET /api/review (env MONITOR_LATENESS)
              --future-tolerance DUR  with the wall clock: an event further ahead of it is refused
                                (a wrong clock or time zone at the sender), as an ISO-8601 duration
                                (default PT5M; env MONITOR_FUTURE_TOLERANCE)
              --max-ahead DUR   with --clock events: an event further ahead of its community's clock is
                                refused as a wrong date (default P30D; env MONITOR_MAX_AHEAD); to jump
                                further, POST /api/clock first
              --max-line BYTES  longest event line (default 65536); a longer line is rejected with its
                                reason, the request's other lines are kept
              --auth MODE       auto: the API is open while no API token exists, and needs one from the
                                first token on (default); required: always needs one (env MONITOR_AUTH).
                                Tokens: see `token --help`
              --rate N          requests a second per token (login: per address; none while open)
                                (default 50; 0: no limit); more is answered 429 with Retry-After
              --burst N         requests at once above the rate (default 100)
              --no-watch        do not reload the rules when the folder changes (POST /api/rules/reload still does)
            """;

    private final PrintStream out;
    private final PrintStream err;

    ServeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) {
        Args args = new Args(argv, 0, Set.of("--port", "--db", "--db-user", "--db-password", "--data", "--rules",
                "--clock", "--shards", "--max-body", "--embedded-port", "--max-line", "--auth", "--rate", "--burst", "--lateness", "--fsync",
                "--future-tolerance", "--max-ahead"), Set.of("--no-watch"));
        if (args.help()) {
            out.print(HELP);
            return 0;
        }
        Config config = config(args);
        Application app = new Application(config, Clock.systemUTC());
        try {
            app.start();
        } catch (RulesException e) {
            err.println("serve: the rules in " + config.rulesDir() + " do not load and no version loaded before; not starting:");
            e.problems().forEach(p -> err.println("  " + config.rulesDir().resolve(p.file()).normalize()
                    + (p.line() > 0 ? ":" + p.line() : "") + ": " + p.message()));
            app.close();
            return 1;
        } catch (RuntimeException e) {
            err.println("serve: cannot start: " + e.getMessage());
            app.close();
            return 1;
        }
        out.println("serving on http://localhost:" + app.port() + "/  (Ctrl-C to stop)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static Config config(Args args) {
        String clock = args.get("--clock", env("MONITOR_CLOCK", "wall"));
        if (!clock.equals("wall") && !clock.equals("events")) {
            throw new Args.UsageException("--clock must be wall or events, not " + clock);
        }
        Path rules = args.get("--rules") != null ? Path.of(args.get("--rules"))
                : System.getenv("MONITOR_RULES") != null ? Path.of(System.getenv("MONITOR_RULES")) : Home.folder("rules");
        return new Config(
                number(args.get("--port", env("MONITOR_PORT", "8080")), "--port"),
                args.get("--db", System.getenv("MONITOR_DB_URL")),
                args.get("--db-user", System.getenv("MONITOR_DB_USER")),
                args.get("--db-password", System.getenv("MONITOR_DB_PASSWORD")),
                Path.of(args.get("--data", env("MONITOR_DATA", "var"))),
                number(args.get("--embedded-port", "0"), "--embedded-port"),
                rules, Home.folder("db"), Home.folder("dashboard"), clock,
                number(args.get("--shards", String.valueOf(Runtime.getRuntime().availableProcessors())), "--shards"),
                number(args.get("--max-body", "16777216"), "--max-body"),
                250, !args.flag("--no-watch"),
                duration(args.get("--lateness", env("MONITOR_LATENESS", "PT10M")), "--lateness"),
                auth(args.get("--auth", env("MONITOR_AUTH", "auto"))),
                rate(args.get("--rate", String.valueOf(Config.DEFAULT_RATE))),
                number(args.get("--burst", String.valueOf(Config.DEFAULT_BURST)), "--burst"),
                number(args.get("--max-line", String.valueOf(Config.DEFAULT_MAX_LINE)), "--max-line"),
                onOff(args.get("--fsync", env("MONITOR_FSYNC", "on")), "--fsync"),
                duration(args.get("--future-tolerance", env("MONITOR_FUTURE_TOLERANCE", "PT5M")), "--future-tolerance"),
                duration(args.get("--max-ahead", env("MONITOR_MAX_AHEAD", "P30D")), "--max-ahead"));
    }

    private static boolean onOff(String v, String name) {
        if (!v.equals("on") && !v.equals("off")) {
            throw new Args.UsageException(name + " must be on or off, not " + v);
        }
        return v.equals("on");
    }

    private static String auth(String v) {
        if (!v.equals("auto") && !v.equals("required")) {
            throw new Args.UsageException("--auth must be auto or required, not " + v);
        }
        return v;
    }

    private static double rate(String v) {
        try {
            double r = Double.parseDouble(v);
            if (r < 0) {
                throw new NumberFormatException();
            }
            return r;
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--rate must be a number ≥ 0, not " + v);
        }
    }

    private static java.time.Duration duration(String v, String name) {
        try {
            java.time.Duration d = java.time.Duration.parse(v);
            if (!d.isNegative()) {
                return d;
            }
        } catch (java.time.format.DateTimeParseException e) {
            // answered below
        }
        throw new Args.UsageException(name + " must be an ISO-8601 duration ≥ 0 such as PT10M, not " + v);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static int number(String v, String name) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new Args.UsageException(name + " must be a number, not " + v);
        }
    }
}
