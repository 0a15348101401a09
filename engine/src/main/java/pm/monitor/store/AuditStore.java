package pm.monitor.store;

import static pm.monitor.store.schema.Tables.AUDIT_LOG;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.impl.DSL;
import pm.monitor.finding.Json;

/**
 * Who did what and when (table {@code audit_log}): tokens created, revoked and used, logins,
 * rules reloaded, silences, acknowledgements, roster changes. {@code at} is the wall clock of
 * the database: the audit is about people, not about event time.
 */
public final class AuditStore {
    private final DSLContext dsl;

    public AuditStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    public void record(String actor, String action, String target, Map<String, ?> details) {
        dsl.insertInto(AUDIT_LOG, AUDIT_LOG.ACTOR, AUDIT_LOG.ACTION, AUDIT_LOG.TARGET, AUDIT_LOG.DETAILS)
                .values(actor, action, target, details == null || details.isEmpty() ? null
                        : JSONB.valueOf(Json.write(details)))
                .execute();
    }

    /** Newest first; {@code action} and {@code actor} filter when not null. */
    public List<Map<String, Object>> list(String action, String actor, int limit, int offset) {
        Condition c = DSL.trueCondition();
        if (action != null) {
            c = c.and(AUDIT_LOG.ACTION.eq(action));
        }
        if (actor != null) {
            c = c.and(AUDIT_LOG.ACTOR.eq(actor));
        }
        return dsl.selectFrom(AUDIT_LOG).where(c).orderBy(AUDIT_LOG.ID.desc()).limit(limit).offset(offset)
                .fetch(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", r.getId());
                    m.put("at", r.getAt().toInstant().toString());
                    m.put("actor", r.getActor());
                    m.put("action", r.getAction());
                    m.put("target", r.getTarget());
                    m.put("details", r.getDetails() == null ? null : Json.parse(r.getDetails().data()));
                    return m;
                });
    }
}
