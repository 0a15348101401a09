package pm.monitor.store;

import static pm.monitor.store.schema.Tables.ROSTER;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import pm.monitor.store.schema.tables.records.RosterRecord;

/** Who holds which role in which community, and how to reach them (table {@code roster}). */
public final class RosterStore {
    private final DSLContext dsl;

    public RosterStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * One way of reaching a role holder. {@code community} {@code *} holds the role in every
     * community; {@code channel} is email, webhook, wecom or dingtalk; {@code secret} is a
     * DingTalk robot's signing secret (加签), if it has one.
     */
    /** One way of reaching a role holder; {@code mentions}: mobile numbers a group robot @-mentions (comma list). */
    public record Entry(long id, String community, String role, String name, String channel, String address,
                        String secret, boolean active, String updatedBy, Instant updatedAt, String mentions) {
        public Entry(long id, String community, String role, String name, String channel, String address,
                     String secret, boolean active, String updatedBy, Instant updatedAt) {
            this(id, community, role, name, channel, address, secret, active, updatedBy, updatedAt, null);
        }

        /** The mobile numbers to @-mention, in order. */
        public java.util.List<String> mobiles() {
            return mentions == null || mentions.isBlank() ? java.util.List.of()
                    : java.util.Arrays.stream(mentions.split("\\s*,\\s*")).filter(x -> !x.isBlank()).toList();
        }
    }

    public List<Entry> list(String community, String role) {
        Condition c = DSL.trueCondition();
        if (community != null) {
            c = c.and(ROSTER.COMMUNITY.in(community, "*"));
        }
        if (role != null) {
            c = c.and(ROSTER.ROLE.eq(role));
        }
        return dsl.selectFrom(ROSTER).where(c).orderBy(ROSTER.COMMUNITY, ROSTER.ROLE, ROSTER.NAME, ROSTER.ID)
                .fetch(RosterStore::entry);
    }

    /** The active entries that reach {@code role} in {@code community}. */
    public List<Entry> destinations(String community, String role) {
        return dsl.selectFrom(ROSTER)
                .where(ROSTER.ROLE.eq(role), ROSTER.COMMUNITY.in(community, "*"), ROSTER.ACTIVE.isTrue())
                .orderBy(ROSTER.ID).fetch(RosterStore::entry);
    }

    public Entry get(long id) {
        RosterRecord r = dsl.selectFrom(ROSTER).where(ROSTER.ID.eq(id)).fetchOne();
        return r == null ? null : entry(r);
    }

    public long insert(Entry e) {
        return dsl.insertInto(ROSTER, ROSTER.COMMUNITY, ROSTER.ROLE, ROSTER.NAME, ROSTER.CHANNEL, ROSTER.ADDRESS,
                        ROSTER.SECRET, ROSTER.ACTIVE, ROSTER.UPDATED_BY, ROSTER.MENTIONS)
                .values(e.community(), e.role(), e.name(), e.channel(), e.address(), e.secret(), e.active(), e.updatedBy(),
                        e.mentions())
                .returning(ROSTER.ID).fetchOne().getId();
    }

    /** @return false when there is no such entry */
    public boolean update(long id, Entry e) {
        return dsl.update(ROSTER).set(ROSTER.COMMUNITY, e.community()).set(ROSTER.ROLE, e.role())
                .set(ROSTER.NAME, e.name()).set(ROSTER.CHANNEL, e.channel()).set(ROSTER.ADDRESS, e.address())
                .set(ROSTER.SECRET, e.secret()).set(ROSTER.ACTIVE, e.active()).set(ROSTER.UPDATED_BY, e.updatedBy())
                .set(ROSTER.MENTIONS, e.mentions())
                .set(ROSTER.UPDATED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .where(ROSTER.ID.eq(id)).execute() == 1;
    }

    public boolean delete(long id) {
        return dsl.deleteFrom(ROSTER).where(ROSTER.ID.eq(id)).execute() == 1;
    }

    private static Entry entry(RosterRecord r) {
        return new Entry(r.getId(), r.getCommunity(), r.getRole(), r.getName(), r.getChannel(), r.getAddress(),
                r.getSecret(), r.getActive(), r.getUpdatedBy(), r.getUpdatedAt().toInstant(), r.getMentions());
    }
}
