package pm.monitor.app;

import java.nio.file.Path;

/**
 * How {@code serve} runs. Every field has a default that works on a fresh machine: port 8080, an
 * embedded PostgreSQL under {@code var/pgdata}, the wall clock.
 *
 * @param dbUrl      JDBC URL of a PostgreSQL server, or null for the embedded one
 * @param dataDir    where the embedded PostgreSQL keeps its data
 * @param embeddedPort the embedded PostgreSQL's port (0: any free one)
 * @param clock      {@code wall}: deadlines pass on the wall clock; {@code events}: the clock only
 *                   moves with the events (and {@code POST /api/clock}), for back-filling history
 * @param tickMillis how often the wall clock moves the communities' clocks
 * @param watchRules reload the rules when the folder changes
 * @param lateness   how far (event time) behind its community's clock an event is still applied;
 *                   later ones are stored and flagged (README "Late and out-of-order events")
 * @param auth       {@code auto}: the API is open until a token exists; {@code required}: always needs one
 * @param rate       requests a second allowed per token (per remote address for login; unlimited without a token while open); 0: no limit
 * @param burst      requests allowed at once above the rate
 * @param maxLineBytes longest event line accepted; a longer one is rejected, the others kept
 * @param fsync      the embedded PostgreSQL flushes to disk (on by default; off only for throwaway
 *                   test data: a power loss or OS crash could lose acknowledged events)
 * @param futureTolerance wall clock: an event further ahead of it is refused (README "Late and out-of-order events")
 * @param maxAhead   event clock: an event further ahead of its community's clock is refused as a wrong date
 */
public record Config(int port, String dbUrl, String dbUser, String dbPassword, Path dataDir, int embeddedPort,
                     Path rulesDir, Path dbDir, Path dashboardDir, String clock, int shards, int maxBodyBytes,
                     long tickMillis, boolean watchRules, java.time.Duration lateness, String auth, double rate,
                     int burst, int maxLineBytes, boolean fsync, java.time.Duration futureTolerance,
                     java.time.Duration maxAhead) {

    public static final double DEFAULT_RATE = 50;
    public static final int DEFAULT_BURST = 100;
    public static final int DEFAULT_MAX_LINE = 64 << 10;

    /**
     * With the defaults: lateness 10 minutes, open until a token exists, 50 requests a second, lines up to 64 KiB,
     * events up to 5 minutes ahead of the wall clock or 30 days ahead of their community's event clock.
     */
    public Config(int port, String dbUrl, String dbUser, String dbPassword, Path dataDir, int embeddedPort,
                  Path rulesDir, Path dbDir, Path dashboardDir, String clock, int shards, int maxBodyBytes,
                  long tickMillis, boolean watchRules) {
        this(port, dbUrl, dbUser, dbPassword, dataDir, embeddedPort, rulesDir, dbDir, dashboardDir, clock, shards,
                maxBodyBytes, tickMillis, watchRules, pm.monitor.engine.Lateness.DEFAULT, "auto", DEFAULT_RATE,
                DEFAULT_BURST, DEFAULT_MAX_LINE, true, pm.monitor.engine.Clocks.DEFAULT_FUTURE,
                pm.monitor.engine.Clocks.DEFAULT_MAX_AHEAD);
    }

    /** Copied with another allowed lateness. */
    public Config withLateness(java.time.Duration allowed) {
        return new Config(port, dbUrl, dbUser, dbPassword, dataDir, embeddedPort, rulesDir, dbDir, dashboardDir, clock,
                shards, maxBodyBytes, tickMillis, watchRules, allowed, auth, rate, burst, maxLineBytes, fsync,
                futureTolerance, maxAhead);
    }

    /** The same, with other access settings. */
    public Config withAccess(String auth, double rate, int burst, int maxLineBytes) {
        return new Config(port, dbUrl, dbUser, dbPassword, dataDir, embeddedPort, rulesDir, dbDir, dashboardDir, clock,
                shards, maxBodyBytes, tickMillis, watchRules, lateness, auth, rate, burst, maxLineBytes, fsync,
                futureTolerance, maxAhead);
    }

    /** The same, with the embedded PostgreSQL's fsync on or off. */
    public Config withFsync(boolean on) {
        return new Config(port, dbUrl, dbUser, dbPassword, dataDir, embeddedPort, rulesDir, dbDir, dashboardDir, clock,
                shards, maxBodyBytes, tickMillis, watchRules, lateness, auth, rate, burst, maxLineBytes, on,
                futureTolerance, maxAhead);
    }

    /** The same, with other limits on how far ahead an event may be. */
    public Config withAhead(java.time.Duration futureTolerance, java.time.Duration maxAhead) {
        return new Config(port, dbUrl, dbUser, dbPassword, dataDir, embeddedPort, rulesDir, dbDir, dashboardDir, clock,
                shards, maxBodyBytes, tickMillis, watchRules, lateness, auth, rate, burst, maxLineBytes, fsync,
                futureTolerance, maxAhead);
    }

    public boolean wallClock() {
        return !"events".equals(clock);
    }
}
