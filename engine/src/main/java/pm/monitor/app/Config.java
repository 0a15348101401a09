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
 */
public record Config(int port, String dbUrl, String dbUser, String dbPassword, Path dataDir, int embeddedPort,
                     Path rulesDir, Path dbDir, Path dashboardDir, String clock, int shards, int maxBodyBytes,
                     long tickMillis, boolean watchRules, java.time.Duration lateness) {

    /** With the default allowed lateness. */
    public Config(int port, String dbUrl, String dbUser, String dbPassword, Path dataDir, int embeddedPort,
                  Path rulesDir, Path dbDir, Path dashboardDir, String clock, int shards, int maxBodyBytes,
                  long tickMillis, boolean watchRules) {
        this(port, dbUrl, dbUser, dbPassword, dataDir, embeddedPort, rulesDir, dbDir, dashboardDir, clock, shards,
                maxBodyBytes, tickMillis, watchRules, pm.monitor.engine.Lateness.DEFAULT);
    }

    /** Copied with another allowed lateness. */
    public Config withLateness(java.time.Duration allowed) {
        return new Config(port, dbUrl, dbUser, dbPassword, dataDir, embeddedPort, rulesDir, dbDir, dashboardDir, clock,
                shards, maxBodyBytes, tickMillis, watchRules, allowed);
    }

    public boolean wallClock() {
        return !"events".equals(clock);
    }
}
