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
 */
public record Config(int port, String dbUrl, String dbUser, String dbPassword, Path dataDir, int embeddedPort,
                     Path rulesDir, Path dbDir, Path dashboardDir, String clock, int shards, int maxBodyBytes,
                     long tickMillis, boolean watchRules) {

    public boolean wallClock() {
        return !"events".equals(clock);
    }
}
