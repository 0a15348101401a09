package pm.monitor.store;

import static pm.monitor.store.schema.Tables.SILENCES;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jooq.DSLContext;
import pm.monitor.store.schema.tables.records.SilencesRecord;

/** Silences of alerts for a community and rule (table {@code silences}); times are the monitor's clock. */
public final class SilenceStore {
    private final DSLContext dsl;

    public SilenceStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record Silence(long id, String community, String rule, String reason, String author, Instant startsAt,
                          Instant expiresAt) {

        /** Whether it silences {@code rule} in {@code community} at {@code t}. */
        public boolean covers(String community, String rule, Instant t) {
            boolean where = this.community.equals("*") || this.community.equals(community);
            boolean what = this.rule.equals("*") || this.rule.equals(rule)
                    || (this.rule.endsWith("*") && rule.startsWith(this.rule.substring(0, this.rule.length() - 1)));
            return where && what && !t.isBefore(startsAt) && t.isBefore(expiresAt);
        }

        public boolean activeAt(Instant t) {
            return !t.isBefore(startsAt) && t.isBefore(expiresAt);
        }
    }

    public long insert(Silence s) {
        return dsl.insertInto(SILENCES, SILENCES.COMMUNITY, SILENCES.RULE, SILENCES.REASON, SILENCES.AUTHOR,
                        SILENCES.STARTS_AT, SILENCES.EXPIRES_AT)
                .values(s.community(), s.rule(), s.reason(), s.author(), s.startsAt().atOffset(ZoneOffset.UTC),
                        s.expiresAt().atOffset(ZoneOffset.UTC))
                .returning(SILENCES.ID).fetchOne().getId();
    }

    /** Silences in force at some time at or after {@code t} (null: all), newest first. */
    public List<Silence> list(Instant notExpiredAt) {
        var q = dsl.selectFrom(SILENCES);
        return (notExpiredAt == null ? q : q.where(SILENCES.EXPIRES_AT.gt(notExpiredAt.atOffset(ZoneOffset.UTC))))
                .orderBy(SILENCES.ID.desc()).fetch(SilenceStore::silence);
    }

    public Silence get(long id) {
        SilencesRecord r = dsl.selectFrom(SILENCES).where(SILENCES.ID.eq(id)).fetchOne();
        return r == null ? null : silence(r);
    }

    /** Ends a silence at {@code t} (kept, for the record). @return false if there is none in force */
    public boolean expire(long id, Instant t) {
        return dsl.update(SILENCES).set(SILENCES.EXPIRES_AT, t.atOffset(ZoneOffset.UTC))
                .where(SILENCES.ID.eq(id), SILENCES.EXPIRES_AT.gt(t.atOffset(ZoneOffset.UTC))).execute() == 1;
    }

    /** Moves a silence's end to {@code until} (extending or shortening it; an ended one starts again). */
    public boolean extend(long id, Instant until) {
        return dsl.update(SILENCES).set(SILENCES.EXPIRES_AT, until.atOffset(ZoneOffset.UTC))
                .where(SILENCES.ID.eq(id)).execute() == 1;
    }

    private static Silence silence(SilencesRecord r) {
        return new Silence(r.getId(), r.getCommunity(), r.getRule(), r.getReason(), r.getAuthor(),
                r.getStartsAt().toInstant(), r.getExpiresAt().toInstant());
    }
}
