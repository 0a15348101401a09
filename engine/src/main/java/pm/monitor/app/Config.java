package pm.monitor.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * How {@code serve} runs. Every setting has a default that works on a fresh machine (port 8080,
 * an embedded PostgreSQL under {@code var/pgdata}, the wall clock), all of them in {@link Builder},
 * the one place defaults live. A setting comes from, in rising precedence: the default, the
 * config file ({@code monitor.conf}: {@code key = value} lines), the environment
 * ({@code MONITOR_…}), the command line ({@code --key value}); {@link #SETTINGS} names them.
 * {@link Builder#build()} checks them all and reports every bad one with where it came from.
 *
 * @param dbUrl      JDBC URL of a PostgreSQL server, or null for the embedded one
 * @param dataDir    where the embedded PostgreSQL keeps its data
 * @param embeddedPort the embedded PostgreSQL's port (0: any free one)
 * @param clockMode  {@code WALL}: deadlines pass on the wall clock; {@code EVENTS}: the clock only
 *                   moves with the events (and {@code POST /api/clock}), for back-filling history
 * @param tickMillis how often the wall clock moves the communities' clocks
 * @param watchRules reload the rules when the folder changes
 * @param lateness   how far (event time) behind its community's clock an event is still applied;
 *                   later ones are stored and flagged (README "Late and out-of-order events")
 * @param authMode   {@code AUTO}: the API is open until a token exists; {@code REQUIRED}: always needs one
 * @param rate       requests a second allowed per token (per remote address for login; unlimited without a token while open); 0: no limit
 * @param burst      requests allowed at once above the rate
 * @param maxLineBytes longest event line accepted; a longer one is rejected, the others kept
 * @param fsync      the embedded PostgreSQL flushes to disk (on by default; off only for throwaway
 *                   test data: a power loss or OS crash could lose acknowledged events)
 * @param futureTolerance with the wall clock, how far ahead of it an event may be (further: refused)
 * @param maxAhead   with the events clock, how far ahead of its community's clock an event may be
 * @param heapLimit  percent of the maximum heap in use after a garbage collection above which
 *                   ingest is answered 503 with {@code Retry-After} (100: never)
 * @param publicUrl  the dashboard's address as managers reach it, the base of the link in every
 *                   alert message (null: not set; serve warns and links to localhost)
 * @param sessions   how long a dashboard session lasts idle, and at most
 * @param kafka      the Kafka bootstrap servers of a cluster of instances (README "A cluster of
 *                   instances on Kafka"); null: one node, no Kafka (the default)
 */
public record Config(int port, String dbUrl, String dbUser, String dbPassword, Path dataDir, int embeddedPort,
                     Path rulesDir, Path dbDir, Path dashboardDir, ClockMode clockMode, int shards, int maxBodyBytes,
                     long tickMillis, boolean watchRules, Duration lateness, AuthMode authMode, double rate,
                     int burst, int maxLineBytes, boolean fsync, Duration futureTolerance, Duration maxAhead,
                     int heapLimit, String publicUrl, pm.monitor.access.SessionLimits sessions,
                     String kafka) {

    /** What moves the service's clock. */
    public enum ClockMode {
        /** Deadlines pass on the wall clock: the live service. */
        WALL,
        /** The clock follows the events (and {@code POST /api/clock}): back-filling history. */
        EVENTS
    }

    /** Whether the API needs a token. */
    public enum AuthMode {
        /** Open until the first token exists. */
        AUTO,
        /** Always. */
        REQUIRED
    }

    public static final double DEFAULT_RATE = 50;
    public static final int DEFAULT_BURST = 100;
    public static final int DEFAULT_MAX_LINE = 64 << 10;
    /**
     * Ingest stops taking events while more than this percent of the heap is still in use after a
     * garbage collection: well before the collector runs back to back (issue 17.16 saw 43 full GCs
     * in 60 s and seconds without an answer at a full 2 GB heap).
     */
    public static final int DEFAULT_HEAP_LIMIT = 85;

    /**
     * With the defaults for lateness, access, limits and fsync (tests and the benchmark, which
     * set the rest themselves). {@code clock} is {@code wall} or {@code events}.
     */
    public Config(int port, String dbUrl, String dbUser, String dbPassword, Path dataDir, int embeddedPort,
                  Path rulesDir, Path dbDir, Path dashboardDir, String clock, int shards, int maxBodyBytes,
                  long tickMillis, boolean watchRules) {
        this(port, dbUrl, dbUser, dbPassword, dataDir, embeddedPort, rulesDir, dbDir, dashboardDir,
                ClockMode.valueOf(clock.toUpperCase(Locale.ROOT)), shards, maxBodyBytes, tickMillis, watchRules,
                pm.monitor.engine.Lateness.DEFAULT, AuthMode.AUTO, DEFAULT_RATE, DEFAULT_BURST, DEFAULT_MAX_LINE, true,
                pm.monitor.engine.Clocks.DEFAULT_FUTURE, pm.monitor.engine.Clocks.DEFAULT_MAX_AHEAD, DEFAULT_HEAP_LIMIT, null,
                pm.monitor.access.SessionLimits.DEFAULT, null);
    }

    /** Copied with another allowed lateness. */
    public Config withLateness(Duration allowed) {
        return new Config(port, dbUrl, dbUser, dbPassword, dataDir, embeddedPort, rulesDir, dbDir, dashboardDir,
                clockMode, shards, maxBodyBytes, tickMillis, watchRules, allowed, authMode, rate, burst, maxLineBytes,
                fsync, futureTolerance, maxAhead, heapLimit, publicUrl, sessions, kafka);
    }

    /** The same, with other access settings ({@code auth}: auto or required). */
    public Config withAccess(String auth, double rate, int burst, int maxLineBytes) {
        return new Config(port, dbUrl, dbUser, dbPassword, dataDir, embeddedPort, rulesDir, dbDir, dashboardDir,
                clockMode, shards, maxBodyBytes, tickMillis, watchRules, lateness,
                AuthMode.valueOf(auth.toUpperCase(Locale.ROOT)), rate, burst, maxLineBytes, fsync, futureTolerance,
                maxAhead, heapLimit, publicUrl, sessions, kafka);
    }

    /** The same, with the embedded PostgreSQL's fsync on or off. */
    public Config withFsync(boolean on) {
        return new Config(port, dbUrl, dbUser, dbPassword, dataDir, embeddedPort, rulesDir, dbDir, dashboardDir,
                clockMode, shards, maxBodyBytes, tickMillis, watchRules, lateness, authMode, rate, burst, maxLineBytes,
                on, futureTolerance, maxAhead, heapLimit, publicUrl, sessions, kafka);
    }

    /** The same, with other limits on how far ahead an event may be. */
    public Config withAhead(Duration futureTolerance, Duration maxAhead) {
        return new Config(port, dbUrl, dbUser, dbPassword, dataDir, embeddedPort, rulesDir, dbDir, dashboardDir,
                clockMode, shards, maxBodyBytes, tickMillis, watchRules, lateness, authMode, rate, burst, maxLineBytes,
                fsync, futureTolerance, maxAhead, heapLimit, publicUrl, sessions, kafka);
    }

    /** The same, with another heap limit (percent; 100: never shed). */
    public Config withHeapLimit(int percent) {
        return new Config(port, dbUrl, dbUser, dbPassword, dataDir, embeddedPort, rulesDir, dbDir, dashboardDir,
                clockMode, shards, maxBodyBytes, tickMillis, watchRules, lateness, authMode, rate, burst, maxLineBytes,
                fsync, futureTolerance, maxAhead, percent, publicUrl, sessions, kafka);
    }

    /** The same, as an instance of a cluster on the Kafka at {@code bootstrap} (null: one node). */
    public Config withKafka(String bootstrap) {
        return new Config(port, dbUrl, dbUser, dbPassword, dataDir, embeddedPort, rulesDir, dbDir, dashboardDir,
                clockMode, shards, maxBodyBytes, tickMillis, watchRules, lateness, authMode, rate, burst, maxLineBytes,
                fsync, futureTolerance, maxAhead, heapLimit, publicUrl, sessions, bootstrap);
    }

    /** The same, with another public address for the links in alert messages. */
    public Config withPublicUrl(String url) {
        return new Config(port, dbUrl, dbUser, dbPassword, dataDir, embeddedPort, rulesDir, dbDir, dashboardDir,
                clockMode, shards, maxBodyBytes, tickMillis, watchRules, lateness, authMode, rate, burst, maxLineBytes,
                fsync, futureTolerance, maxAhead, heapLimit, url, sessions, kafka);
    }

    /** The same, with other session limits. */
    public Config withSessions(pm.monitor.access.SessionLimits limits) {
        return new Config(port, dbUrl, dbUser, dbPassword, dataDir, embeddedPort, rulesDir, dbDir, dashboardDir,
                clockMode, shards, maxBodyBytes, tickMillis, watchRules, lateness, authMode, rate, burst, maxLineBytes,
                fsync, futureTolerance, maxAhead, heapLimit, publicUrl, limits, kafka);
    }

    public boolean wallClock() {
        return clockMode == ClockMode.WALL;
    }

    /** {@code wall} or {@code events}, as the command line and /api/health write it. */
    public String clock() {
        return clockMode.name().toLowerCase(Locale.ROOT);
    }

    /** {@code auto} or {@code required}, as the command line writes it. */
    public String auth() {
        return authMode.name().toLowerCase(Locale.ROOT);
    }

    // ---- where settings come from ---------------------------------------------------------------

    /**
     * One setting: its key in the config file (the command line's option without {@code --}),
     * its environment variable (null: none) and what it is, for {@code serve --help}.
     */
    public record Setting(String key, String env, String help) {
        public String flag() {
            return "--" + key;
        }
    }

    /** Every setting a config file, the environment or the command line may give. */
    public static final List<Setting> SETTINGS = List.of(
            new Setting("port", "MONITOR_PORT", "HTTP port (0: a free one)"),
            new Setting("db", "MONITOR_DB_URL", "a PostgreSQL server's JDBC URL (default: the embedded one)"),
            new Setting("db-user", "MONITOR_DB_USER", "its user"),
            new Setting("db-password", "MONITOR_DB_PASSWORD", "its password (never logged)"),
            new Setting("data", "MONITOR_DATA", "the embedded PostgreSQL's folder is DATA/pgdata"),
            new Setting("embedded-port", null, "the embedded PostgreSQL's port (0: a free one)"),
            new Setting("fsync", "MONITOR_FSYNC", "on or off: the embedded PostgreSQL's fsync"),
            new Setting("rules", "MONITOR_RULES", "the rules folder"),
            new Setting("clock", "MONITOR_CLOCK", "wall or events"),
            new Setting("shards", null, "engine threads (default: the cores)"),
            new Setting("max-body", null, "largest request body, bytes"),
            new Setting("max-line", null, "longest event line, bytes"),
            new Setting("lateness", "MONITOR_LATENESS", "ISO-8601 duration, e.g. PT10M"),
            new Setting("future-tolerance", "MONITOR_FUTURE_TOLERANCE",
                    "ISO-8601 duration: with the wall clock, an event further ahead of it is refused (PT5M)"),
            new Setting("max-ahead", "MONITOR_MAX_AHEAD",
                    "ISO-8601 duration: with --clock events, an event further ahead of its community's clock is refused (P30D)"),
            new Setting("heap-limit", "MONITOR_HEAP_LIMIT",
                    "percent of the heap in use after a garbage collection above which ingest answers 503 + Retry-After (85; 100: never)"),
            new Setting("auth", "MONITOR_AUTH", "auto or required"),
            new Setting("public-url", "MONITOR_PUBLIC_URL",
                    "the dashboard's address as managers reach it (https://monitor.example.com): the links in alert messages"),
            new Setting("session-idle", "MONITOR_SESSION_IDLE",
                    "ISO-8601 duration: a dashboard session ends after this long without a request (PT12H)"),
            new Setting("session-max", "MONITOR_SESSION_MAX",
                    "ISO-8601 duration: a dashboard session ends this long after login, used or not (P7D)"),
            new Setting("kafka", "MONITOR_KAFKA",
                    "Kafka bootstrap servers (host:port,...): run as one instance of a cluster sharing --db (default: one node, no Kafka)"),
            new Setting("rate", null, "requests a second per token (0: no limit)"),
            new Setting("burst", null, "requests at once above the rate"),
            new Setting("watch", null, "true or false: reload the rules when the folder changes"));

    /** The file read when neither {@code --config} nor {@code MONITOR_CONFIG} names one, if it exists. */
    public static final String DEFAULT_FILE = "monitor.conf";

    /** A setting that cannot be used, with where it came from; {@link Builder#build()} lists them all. */
    public static final class Invalid extends IllegalArgumentException {
        private final List<String> problems;

        Invalid(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults, then whatever is set over them; {@link #build()} checks the result. */
    public static final class Builder {
        /** key → [value, where it came from] */
        private final Map<String, String[]> values = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();
        private Path rulesFallback = Path.of("rules");
        private Path dbDir = Path.of("db");
        private Path dashboardDir = Path.of("dashboard");
        private long tickMillis = 250;
        private boolean rulesNeeded = true;

        private Builder() {
            // The defaults, all of them here.
            put("port", "8080", "default");
            put("data", "var", "default");
            put("embedded-port", "0", "default");
            put("fsync", "on", "default");
            put("clock", "wall", "default");
            put("shards", String.valueOf(Runtime.getRuntime().availableProcessors()), "default");
            put("max-body", String.valueOf(16 << 20), "default");
            put("max-line", String.valueOf(DEFAULT_MAX_LINE), "default");
            put("lateness", pm.monitor.engine.Lateness.DEFAULT.toString(), "default");
            put("future-tolerance", pm.monitor.engine.Clocks.DEFAULT_FUTURE.toString(), "default");
            put("max-ahead", pm.monitor.engine.Clocks.DEFAULT_MAX_AHEAD.toString(), "default");
            put("heap-limit", String.valueOf(DEFAULT_HEAP_LIMIT), "default");
            put("auth", "auto", "default");
            put("session-idle", pm.monitor.access.SessionLimits.DEFAULT.idle().toString(), "default");
            put("session-max", pm.monitor.access.SessionLimits.DEFAULT.absolute().toString(), "default");
            put("rate", String.valueOf(DEFAULT_RATE), "default");
            put("burst", String.valueOf(DEFAULT_BURST), "default");
            put("watch", "true", "default");
        }

        private void put(String key, String value, String source) {
            values.put(key, new String[] {value, source});
        }

        /** Sets one setting; {@code source} says where it came from ({@code --port}, {@code MONITOR_PORT}, {@code monitor.conf:3}). */
        public Builder set(String key, String value, String source) {
            if (SETTINGS.stream().noneMatch(s -> s.key().equals(key))) {
                problems.add(source + ": unknown setting " + key + " (known: "
                        + String.join(", ", SETTINGS.stream().map(Setting::key).toList()) + ")");
            } else if (value != null) {
                put(key, value.strip(), source);
            }
            return this;
        }

        /** The config file's settings: {@code key = value} lines, {@code #} comments. */
        public Builder file(Path file) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                problems.add(file + ": cannot read: " + e.getMessage());
                return this;
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                String where = file + ":" + (i + 1);
                if (eq <= 0) {
                    problems.add(where + ": not key = value: " + line);
                    continue;
                }
                set(line.substring(0, eq).strip(), line.substring(eq + 1), where);
            }
            return this;
        }

        /** The environment's settings ({@code MONITOR_PORT}…); blank values are ignored. */
        public Builder env(Map<String, String> env) {
            for (Setting s : SETTINGS) {
                String v = s.env() == null ? null : env.get(s.env());
                if (v != null && !v.isBlank()) {
                    set(s.key(), v, s.env());
                }
            }
            return this;
        }

        /** The rules folder when none is set (./rules, or the checkout's), and the project's other folders. */
        public Builder folders(Path rules, Path db, Path dashboard) {
            this.rulesFallback = rules;
            this.dbDir = db;
            this.dashboardDir = dashboard;
            return this;
        }

        /** For commands that use the database settings only (token): no rules folder needed. */
        public Builder rulesOptional() {
            this.rulesNeeded = false;
            return this;
        }

        public Builder tickMillis(long millis) {
            this.tickMillis = millis;
            return this;
        }

        private String value(String key) {
            String[] v = values.get(key);
            return v == null ? null : v[0];
        }

        private <T> T parse(String key, Function<String, T> how, String expected) {
            String[] v = values.get(key);
            try {
                return how.apply(v[0]);
            } catch (RuntimeException e) {
                problems.add(v[1] + ": " + key + " must be " + expected + ", not \"" + v[0] + "\"");
                return null;
            }
        }

        private Integer integer(String key, int min, int max) {
            Integer n = parse(key, Integer::parseInt, "a whole number");
            if (n != null && (n < min || n > max)) {
                problems.add(values.get(key)[1] + ": " + key + " must be between " + min + " and " + max + ", not " + n);
                return null;
            }
            return n;
        }

        private <E extends Enum<E>> E choice(String key, Class<E> type) {
            List<String> allowed = java.util.Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
            return parse(key, v -> {
                if (!allowed.contains(v)) {
                    throw new IllegalArgumentException();
                }
                return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
            }, String.join(" or ", allowed));
        }

        private Boolean onOff(String key, String on, String off) {
            return parse(key, v -> {
                if (!v.equals(on) && !v.equals(off)) {
                    throw new IllegalArgumentException();
                }
                return v.equals(on);
            }, on + " or " + off);
        }

        private Duration duration(String key, String example) {
            return parse(key, v -> {
                Duration d = Duration.parse(v);
                if (d.isNegative()) {
                    throw new IllegalArgumentException();
                }
                return d;
            }, "an ISO-8601 duration ≥ 0 such as " + example);
        }

        /** The configuration, or {@link Invalid} listing every setting that cannot be used. */
        public Config build() {
            Integer port = integer("port", 0, 65535);
            Integer embeddedPort = integer("embedded-port", 0, 65535);
            Boolean fsync = onOff("fsync", "on", "off");
            ClockMode clock = choice("clock", ClockMode.class);
            AuthMode auth = choice("auth", AuthMode.class);
            Integer shards = integer("shards", 1, 1024);
            Integer maxBody = integer("max-body", 1024, Integer.MAX_VALUE);
            Integer maxLine = integer("max-line", 256, Integer.MAX_VALUE);
            Duration lateness = duration("lateness", "PT10M");
            Duration futureTolerance = duration("future-tolerance", "PT5M");
            Duration maxAhead = duration("max-ahead", "P30D");
            Integer heapLimit = integer("heap-limit", 10, 100);
            Duration sessionIdle = duration("session-idle", "PT12H");
            Duration sessionMax = duration("session-max", "P7D");
            for (String k : List.of("session-idle", "session-max")) {
                Duration d = k.equals("session-idle") ? sessionIdle : sessionMax;
                if (d != null && d.isZero()) {
                    problems.add(values.get(k)[1] + ": " + k + " must be longer than zero");
                }
            }
            Double rate = parse("rate", v -> {
                double r = Double.parseDouble(v);
                if (r < 0 || Double.isNaN(r)) {
                    throw new IllegalArgumentException();
                }
                return r;
            }, "a number ≥ 0");
            Integer burst = integer("burst", 1, Integer.MAX_VALUE);
            Boolean watch = onOff("watch", "true", "false");
            Path rules = value("rules") != null ? Path.of(value("rules")) : rulesFallback;
            if (rulesNeeded && !Files.isDirectory(rules)) {
                String[] v = values.get("rules");
                problems.add((v == null ? "default" : v[1]) + ": no rules folder at " + rules.toAbsolutePath().normalize());
            }
            String publicUrl = value("public-url");
            if (publicUrl != null && !publicUrl.isBlank() && !publicUrl.trim().matches("https?://[^\\s/]+(/\\S*)?")) {
                problems.add(values.get("public-url")[1] + ": public-url must be an http(s) address such as "
                        + "https://monitor.example.com, not \"" + publicUrl + "\"");
            }
            String kafkaAt = value("kafka");
            String dbAt = value("db");
            if (kafkaAt != null && !kafkaAt.isBlank() && (dbAt == null || dbAt.isBlank())) {
                // each instance's embedded PostgreSQL would hold only the events it stored itself
                problems.add(values.get("kafka")[1] + ": kafka needs db: the instances of a cluster share one "
                        + "PostgreSQL server (--db jdbc:postgresql://...)");
            }
            if (maxBody != null && maxLine != null && maxLine > maxBody) {
                problems.add(values.get("max-line")[1] + ": max-line (" + maxLine + ") is larger than max-body (" + maxBody
                        + ")");
            }
            if (!problems.isEmpty()) {
                throw new Invalid(problems);
            }
            String db = value("db");
            String kafka = value("kafka");
            return new Config(port, db == null || db.isBlank() ? null : db, value("db-user"), value("db-password"),
                    Path.of(value("data")), embeddedPort, rules, dbDir, dashboardDir, clock, shards, maxBody, tickMillis,
                    watch, lateness, auth, rate, burst, maxLine, fsync, futureTolerance, maxAhead, heapLimit,
                    publicUrl == null || publicUrl.isBlank() ? null : publicUrl.trim(),
                    new pm.monitor.access.SessionLimits(sessionIdle, sessionMax),
                    kafka == null || kafka.isBlank() ? null : kafka.trim());
        }
    }
}
