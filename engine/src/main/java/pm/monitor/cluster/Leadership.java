package pm.monitor.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which instance of a cluster does the work that must be done once for all of it (the alerts'
 * clock and outbox, the scheduled reports): the one holding a PostgreSQL session-level advisory
 * lock, on a connection of its own kept open for that. The lock lives as long as the connection:
 * when the process dies (kill -9 included) the server closes the connection and the lock is
 * free; every other instance asks for it each second, and one of them gets it. An instance that
 * finds its connection broken stops leading at once, before asking again on a new one.
 *
 * <p>The lock is named after the database schema, so that clusters in other schemas of the same
 * server (tests) do not share a leader.
 */
public final class Leadership implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);
    /** The first half of the lock's key: this lock among the application's (pg_locks.classid). */
    private static final int LOCK_CLASS = 0x504d4c44; // "PMLD"
    private static final long PERIOD_MS = 1000;

    /** What the instance does when it becomes the leader and when it stops being one. */
    public interface Duties {
        void lead();

        void follow();
    }

    private final String url;
    private final String user;
    private final String password;
    private final Duties duties;
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean leading;
    private Connection connection;
    private final Object wake = new Object();

    public Leadership(String url, String user, String password, String instance, Duties duties) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.duties = duties;
        this.thread = new Thread(this::run, "leadership-" + instance);
        thread.setDaemon(true);
    }

    public Leadership start() {
        thread.start();
        return this;
    }

    /** Whether this instance holds the lock now. */
    public boolean leading() {
        return leading;
    }

    private void run() {
        while (!closing) {
            try {
                if (leading) {
                    if (!connection.isValid(2)) {
                        throw new SQLException("the lock's connection is broken");
                    }
                } else if (tryLock()) {
                    leading = true;
                    LOG.info("this instance leads the cluster's alerts and scheduled reports");
                    duties.lead();
                }
            } catch (SQLException | RuntimeException e) {
                if (leading) {
                    LOG.warn("leadership lost ({}): alerts and scheduled reports stop here", e.getMessage());
                    step();
                } else {
                    LOG.debug("asking for leadership: {}", e.getMessage());
                }
                disconnect();
            }
            sleep();
        }
    }

    /** Asks for the lock without waiting; connects first when needed. */
    private boolean tryLock() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password);
        }
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("SELECT pg_try_advisory_lock(" + LOCK_CLASS + ", hashtext(current_schema()))")) {
            return r.next() && r.getBoolean(1);
        }
    }

    /** Stops leading (the duties first, then the flag: nothing is left half done by a new leader's start). */
    private void step() {
        try {
            duties.follow();
        } catch (RuntimeException e) {
            LOG.warn("stopping the leader's duties: {}", e.toString());
        }
        leading = false;
    }

    private void disconnect() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // broken already
            }
            connection = null;
        }
    }

    private void sleep() {
        try {
            synchronized (wake) {
                if (!closing) {
                    wake.wait(PERIOD_MS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }

    /** Stops the duties, then frees the lock (closing its connection): another instance leads within a second. */
    @Override
    public void close() {
        synchronized (wake) {
            closing = true;
            wake.notifyAll();
        }
        try {
            thread.join(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (leading) {
            step();
        }
        disconnect();
    }
}
