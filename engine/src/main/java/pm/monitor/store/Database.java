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
     * {@code port} (0: any free port).
     */
    public static Database embedded(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir.toAbsolutePath())
                    .setCleanDataDirectory(false)
                    // The library's default is synchronous_commit=off (made for throwaway test
                    // databases): a commit would be acknowledged before its WAL reached the disk,
                    // and events answered 200 could be lost in a crash. Ingest's acknowledgement
                    // promises durability, so the commit waits for the flush.
                    .setServerConfig("synchronous_commit", "on");
            if (port > 0) {
                b.setPort(port);
            }
            EmbeddedPostgres pg = b.start();
            String url = pg.getJdbcUrl("postgres", "postgres");
            LOG.info("embedded PostgreSQL on port {}, data in {}", pg.getPort(), dataDir.toAbsolutePath());
            return new Database(pool(url, "postgres", "postgres"), pg,
                    "embedded PostgreSQL (port " + pg.getPort() + ", data " + dataDir.toAbsolutePath() + ")");
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
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

    public DataSource dataSource() {
        return pool;
    }

    public String describe() {
        return description;
    }

    @Override
    public void close() {
        pool.close();
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException e) {
                LOG.warn("stopping the embedded PostgreSQL: {}", e.getMessage());
            }
        }
    }
}
