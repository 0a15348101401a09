package pm.monitor.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.impl.DSL;
import pm.monitor.finding.Json;

/** The audit of rules changes (table rules_changes): every version put live, refused or rolled back. */
public final class RuleVersionStore {
    private final DSLContext dsl;

    public RuleVersionStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** The version live now, with when it was activated (event time) and its files; null if none yet. */
    public record Active(String version, Instant activatedAt, SortedMap<String, String> files) {
    }

    public Active active() {
        Record r = dsl.fetchOne("SELECT version, activated_at, files FROM rules_changes "
                + "WHERE action IN ('start', 'reload', 'rollback') ORDER BY id DESC LIMIT 1");
        if (r == null) {
            return null;
        }
        java.time.OffsetDateTime at = r.get(1, java.time.OffsetDateTime.class);
        return new Active(r.get(0, String.class), at == null ? null : at.toInstant(), files(r.get(2, JSONB.class)));
    }

    public void record(String version, String action, String actor, Instant activatedAt,
                       SortedMap<String, String> files, List<String> changed, String diff, Object problems) {
        dsl.execute("INSERT INTO rules_changes (version, action, actor, activated_at, files, changed_files, diff, problems) "
                        + "VALUES (?, ?, ?, ?::timestamptz, ?::jsonb, ?::jsonb, ?, ?::jsonb)",
                version, action, actor, activatedAt == null ? null : activatedAt.toString(),
                Json.write(files), Json.write(changed), diff, problems == null ? null : Json.write(problems));
    }

    /** The changes, newest first, without the files' contents. */
    public List<Map<String, Object>> list(int limit) {
        return dsl.fetch("SELECT id, version, action, actor, wall_at, activated_at, changed_files, diff, problems "
                + "FROM rules_changes ORDER BY id DESC LIMIT ?", limit).map(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", r.get("id", Long.class));
                    m.put("version", r.get("version", String.class));
                    m.put("action", r.get("action", String.class));
                    m.put("actor", r.get("actor", String.class));
                    m.put("at", r.get("wall_at", java.time.OffsetDateTime.class).toInstant().toString());
                    java.time.OffsetDateTime a = r.get("activated_at", java.time.OffsetDateTime.class);
                    m.put("activatedAt", a == null ? null : a.toInstant().toString());
                    m.put("changedFiles", Json.parse(r.get("changed_files", JSONB.class).data()));
                    m.put("diff", r.get("diff", String.class));
                    JSONB p = r.get("problems", JSONB.class);
                    m.put("problems", p == null ? null : Json.parse(p.data()));
                    return m;
                });
    }

    /** The files of a version that was live once, or null. */
    public SortedMap<String, String> filesOf(String version) {
        Record r = dsl.fetchOne("SELECT files FROM rules_changes WHERE version = ? AND action <> 'refused' "
                + "ORDER BY id DESC LIMIT 1", version);
        return r == null ? null : files(r.get(0, JSONB.class));
    }

    @SuppressWarnings("unchecked")
    private static SortedMap<String, String> files(JSONB json) {
        return new TreeMap<>((Map<String, String>) Json.parse(json.data()));
    }

}
