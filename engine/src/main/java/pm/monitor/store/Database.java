package pm.monitor.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL the monitor stores into: a configured server, or an embedded one keeping its
 * data in a local folder so that a first try needs nothing installed.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final DSLContext dsl;
    private final EmbeddedPostgres embedded;
    private final String description;

    private Database(HikariDataSource pool, EmbeddedPostgres embedded, String description) {
        this.pool = pool;
        this.embedded = embedded;
        this.description = description;
        this.dsl = DSL.using(pool, SQLDialect.POSTGRES, new Settings().withExecuteLogging(false));
    }

    /** A server at a JDBC URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/test}. */
    public static Database connect(String url, String user, String password) {
        return new Database(pool(url, user, password), null, url.replaceAll("password=[^&]*", "password=***"));
    }

    /**
     * An embedded PostgreSQL with its data in {@code dataDir} (kept across restarts), listening on
     * {@code port} (0: any free port) of the loopback only, with fsync on.
     */
    public static Database embedded(Path dataDir, int port) {
        return embedded(dataDir, port, true);
    }

    /**
     * An embedded PostgreSQL with its data in {@code dataDir} (kept across restarts), listening on
     * {@code port} (0: any free port) of the loopback only. Only its superuser exists, with the
     * password in {@link EmbeddedSetup#SECRET_FILE} in the folder ({@link EmbeddedSetup}). With
     * {@code fsync} false, a power loss or an OS crash may lose acknowledged events or corrupt
     * the database: for throwaway test data only.
     */
    public static Database embedded(Path dataDir, int port, boolean fsync) {
        checkFree(dataDir);
        try {
            Files.createDirectories(dataDir);
            Path dir = dataDir.toAbsolutePath();
            EmbeddedSetup.Secret secret = EmbeddedSetup.secret(dir);
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    // The library's own shutdown hook would stop the server at SIGTERM while serve's
                    // hook is still storing what it had taken (Java runs hooks at once, in no order):
                    // the last findings and alert routings failed with "terminating connection due to
                    // administrator command". close() below stops it, last.
                    .setRegisterShutdownHook(false)
                    .setPgBinaryResolver(EmbeddedSetup.Binaries.INSTANCE)
                    .setOverrideWorkingDirectory(EmbeddedSetup.workingDirectory())
                    // after initdb, with the folder locked, before the server starts
                    .setDataDirectoryCustomizer(d -> EmbeddedSetup.prepare(d.toPath(), secret))
                    // The library's default is synchronous_commit=off (made for throwaway test
                    // databases): a commit would be acknowledged before its WAL reached the disk,
                    // and events answered 200 could be lost in a crash. Ingest's acknowledgement
                    // promises durability, so the commit waits for the flush.
                    .setServerConfig("synchronous_commit", "on")
                    // The library starts the server with -F (fsync off); a later -c wins, so the
                    // flush above reaches the disk and not only the OS cache.
                    .setServerConfig("fsync", fsync ? "on" : "off")
                    .setServerConfig("listen_addresses", "localhost")
                    // no Unix socket: TCP on the loopback, with the password, is the one way in
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setConnectConfig("password", secret.value())
                    // a start after a crash replays the WAL first
                    .setPGStartupWait(java.time.Duration.ofSeconds(120));
            if (port > 0) {
                b.setPort(port);
            }
            EmbeddedPostgres pg;
            try {
                pg = b.start();
            } catch (IllegalStateException e) {
                // the library's words for a folder another process holds: "could not lock …/epg-lock"
                if (String.valueOf(e.getMessage()).startsWith("could not lock")) {
                    throw new DataFolderInUse(dir.getParent() == null ? dir : dir.getParent());
                }
                throw e;
            }
            String url = pg.getJdbcUrl(EmbeddedSetup.SUPERUSER, "postgres");
            LOG.info("embedded PostgreSQL on port {}, data in {}{}", pg.getPort(), dir, fsync ? "" : " (fsync off)");
            return new Database(pool(url, EmbeddedSetup.SUPERUSER, secret.value()), pg,
                    "embedded PostgreSQL (port " + pg.getPort() + ", data " + dir + (fsync ? "" : ", fsync off") + ")");
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fails with {@link DataFolderInUse} when another process holds the embedded PostgreSQL's
     * folder {@code dataDir} (the lock file the library takes), before anything is started: a
     * second {@code serve} on the same {@code --data} says so at once. The library's own lock,
     * taken at start, still decides.
     */
    public static void checkFree(Path dataDir) {
        Path lock = dataDir.toAbsolutePath().normalize().resolve("epg-lock");
        if (!Files.exists(lock)) {
            return;
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lock,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock held = ch.tryLock();
            if (held == null) {
                throw new DataFolderInUse(dataDir.toAbsolutePath().normalize().getParent());
            }
            held.release();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            throw new DataFolderInUse(dataDir.toAbsolutePath().normalize().getParent());
        } catch (IOException e) {
            // cannot tell: the start will
        }
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        if (user != null) {
            c.setUsername(user);
        }
        if (password != null) {
            c.setPassword(password);
        }
        c.setMaximumPoolSize(8);
        c.setMinimumIdle(1);
        c.setPoolName("monitor");
        // Fail fast when the server is down: ingest answers 503 rather than hanging.
        c.setConnectionTimeout(3000);
        c.setInitializationFailTimeout(-1);
        return new HikariDataSource(c);
    }

    public DSLContext dsl() {
        return dsl;
    }

    /** Publishes the connection pool's meters (HikariCP's: active, idle, pending, timeouts...) in {@code registry}. */
    public void meter(io.micrometer.core.instrument.MeterRegistry registry) {
        pool.setMetricRegistry(registry);
    }

    public DataSource dataSource() {
        return pool;
    }

    /** The embedded server's port, or -1 for a configured server. */
    public int embeddedPort() {
        return embedded == null ? -1 : embedded.getPort();
    }

    public String describe() {
        return description;
    }

    @Override
    public void close() {
        pool.close();
        if (embedded != null) {
            LOG.info("stopping the embedded PostgreSQL");
            try {
                embedded.close();
            } catch (IOException e) {
                LOG.warn("stopping the embedded PostgreSQL: {}", e.getMessage());
            }
        }
    }
}
