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
              --auth MODE       auto: the API is open while no API token or user exists, and needs one
                                from the first on (default); required: always needs one (env MONITOR_AUTH).
                                Tokens: see `token --help`
              --rate N          requests a second per token (login: per address; none while open)
                                (default 50; 0: no limit); more is answered 429 with Retry-After
              --burst N         requests at once above the rate (default 100)
              --session-idle DUR  a dashboard session ends after this long without a request; each request
                                slides it (ISO-8601, default PT12H; env MONITOR_SESSION_IDLE)
              --session-max DUR   ... and at the latest this long after login, however busy (default P7D;
                                env MONITOR_SESSION_MAX). People: see `user --help`
              --heap-limit PCT  while more than PCT percent of the heap is still in use after a garbage
                                collection, POST /api/events answers 503 with Retry-After and stores
                                nothing, so senders back off before the heap runs out (default 85;
                                100: never; env MONITOR_HEAP_LIMIT)
              --no-watch        do not reload the rules when the folder changes (POST /api/rules/reload still does)
              --config FILE     settings as `key = value` lines (env MONITOR_CONFIG; default ./monitor.conf
                                when it exists): the keys are the options above without "--" (port, db,
                                data, rules, clock, lateness, auth, rate, ... and watch = false); the
                                environment overrides the file, the command line both

            Every setting is checked at start: those that cannot be used are listed together, each with
            where it came from (the option, the variable, or FILE:LINE). Stop it with Ctrl-C or SIGTERM:
            it stops taking requests, finishes storing findings and stops the embedded PostgreSQL.
            """;

    private final PrintStream out;
    private final PrintStream err;

    ServeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) {
        Args args = new Args(argv, 0, options(), Set.of("--no-watch"));
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
            e.problems().forEach(p -> err.println("  " + pm.monitor.engine.RulesCheck.describe(config.rulesDir(), p)));
            app.close();
            return 1;
        } catch (pm.monitor.store.DataFolderInUse e) {
            err.println("serve: " + e.getMessage() + ": stop it first (Ctrl-C where it runs), or start this one with "
                    + "another --data (请先停止它，或用另一个 --data 启动)");
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

    /** The options serve (and token, for the database) takes: every setting's, and the config file. */
    static Set<String> options() {
        Set<String> o = new java.util.HashSet<>(Set.of("--config"));
        Config.SETTINGS.forEach(s -> o.add(s.flag()));
        return o;
    }

    static Config config(Args args) {
        return config(args, true);
    }

    /**
     * The configuration: the defaults, then the config file ({@code --config FILE}, env
     * MONITOR_CONFIG, or ./monitor.conf when it exists), the environment, the command line. Every
     * setting that cannot be used is reported at once, with where it came from.
     */
    static Config config(Args args, boolean rulesNeeded) {
        Config.Builder b = Config.builder().folders(Home.folder("rules"), Home.folder("db"), Home.folder("dashboard"));
        if (!rulesNeeded) {
            b.rulesOptional();
        }
        String file = args.get("--config", System.getenv("MONITOR_CONFIG"));
        if (file != null && !file.isBlank()) {
            if (!java.nio.file.Files.isRegularFile(Path.of(file))) {
                throw new Args.UsageException("no config file " + Path.of(file).toAbsolutePath().normalize());
            }
            b.file(Path.of(file));
        } else if (java.nio.file.Files.isRegularFile(Path.of(Config.DEFAULT_FILE))) {
            b.file(Path.of(Config.DEFAULT_FILE));
        }
        b.env(System.getenv());
        for (Config.Setting s : Config.SETTINGS) {
            if (args.get(s.flag()) != null) {
                b.set(s.key(), args.get(s.flag()), s.flag());
            }
        }
        if (args.flag("--no-watch")) {
            b.set("watch", "false", "--no-watch");
        }
        try {
            return b.build();
        } catch (Config.Invalid e) {
            throw new Args.UsageException((e.problems().size() == 1 ? "a setting" : e.problems().size() + " settings")
                    + " cannot be used: " + String.join("; ", e.problems()));
        }
    }

}
