package pm.monitor.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the migrations of {@code db/} ({@code V<n>__<what>.sql}, append-only) that the
 * database has not seen, each in its own transaction, in version order. A table
 * {@code schema_migrations} remembers what was applied.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private static final Pattern NAME = Pattern.compile("V(\\d+)__(.+)\\.sql");

    private Migrations() {
    }

    /** @return the versions applied now */
    public static List<Integer> apply(DSLContext dsl, Path dir) {
        TreeMap<Integer, Path> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    Path old = files.put(Integer.parseInt(m.group(1)), p);
                    if (old != null) {
                        throw new IllegalStateException("two migrations with version " + m.group(1) + ": " + old + ", " + p);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the migrations folder " + dir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no migrations (V<n>__<what>.sql) in " + dir);
        }
        dsl.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY, name TEXT NOT NULL, "
                + "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
        Set<Integer> done = dsl.fetch("SELECT version FROM schema_migrations").stream()
                .map(r -> r.get(0, Integer.class)).collect(Collectors.toSet());
        List<Integer> applied = new ArrayList<>();
        for (var e : files.entrySet()) {
            if (done.contains(e.getKey())) {
                continue;
            }
            String sql;
            try {
                sql = Files.readString(e.getValue(), StandardCharsets.UTF_8);
            } catch (IOException x) {
                throw new IllegalStateException("cannot read " + e.getValue() + ": " + x.getMessage(), x);
            }
            String name = e.getValue().getFileName().toString();
            dsl.transaction(c -> {
                DSLContext tx = DSL.using(c);
                // Concurrent starts (tests, a restart racing an old process) must not apply twice.
                tx.execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE");
                if (tx.fetchExists(DSL.selectOne().from("schema_migrations").where("version = ?", e.getKey()))) {
                    return;
                }
                tx.execute(sql);
                tx.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", e.getKey(), name);
            });
            LOG.info("applied migration {}", name);
            applied.add(e.getKey());
        }
        return applied;
    }
}
