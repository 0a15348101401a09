package pm.monitor.store;

import static pm.monitor.store.TokenStore.instant;
import static pm.monitor.store.TokenStore.json;
import static pm.monitor.store.TokenStore.odt;
import static pm.monitor.store.TokenStore.set;
import static pm.monitor.store.schema.Tables.API_SESSIONS;
import static pm.monitor.store.schema.Tables.USERS;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;
import pm.monitor.store.schema.tables.records.UsersRecord;

/**
 * People who log in with a user name and a password (table {@code users}): the role, communities
 * and duties a token carries, and a bcrypt hash of the password, never the password.
 */
public final class UserStore {
    private final DSLContext dsl;

    public UserStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** A user as stored; {@code communities} null: every community; {@code duties} null: none given. */
    public record User(long id, String name, String displayName, String passwordHash, String role,
                       Set<String> communities, Set<String> duties, String createdBy, Instant createdAt,
                       Instant lastLoginAt, Instant disabledAt) {
        public boolean active() {
            return disabledAt == null;
        }
    }

    public long insert(String name, String displayName, String passwordHash, String role, Collection<String> communities,
                       Collection<String> duties, String createdBy) {
        return dsl.insertInto(USERS, USERS.NAME, USERS.DISPLAY_NAME, USERS.PASSWORD_HASH, USERS.ROLE, USERS.COMMUNITIES,
                        USERS.DUTIES, USERS.CREATED_BY)
                .values(name, displayName, passwordHash, role, json(communities), json(duties), createdBy)
                .returning(USERS.ID).fetchOne().getId();
    }

    /** The user of this name, disabled or not, or null. */
    public User byName(String name) {
        UsersRecord r = dsl.selectFrom(USERS).where(USERS.NAME.eq(name)).fetchOne();
        return r == null ? null : user(r);
    }

    /** The enabled user with this id, or null. */
    public User activeById(long id) {
        UsersRecord r = dsl.selectFrom(USERS).where(USERS.ID.eq(id), USERS.DISABLED_AT.isNull()).fetchOne();
        return r == null ? null : user(r);
    }

    /** Every user, disabled ones too, oldest first. */
    public List<User> list() {
        return dsl.selectFrom(USERS).orderBy(USERS.ID).fetch(UserStore::user);
    }

    public boolean anyActive() {
        return dsl.fetchExists(USERS, USERS.DISABLED_AT.isNull());
    }

    /** Disables a user and ends its sessions. @return false if there is no enabled user of that name */
    public boolean disable(String name, Instant at) {
        return SessionStore.endingSessions(dsl, API_SESSIONS.USER_ID, d -> d.update(USERS).set(USERS.DISABLED_AT, odt(at))
                .where(USERS.NAME.eq(name), USERS.DISABLED_AT.isNull())
                .returning(USERS.ID).fetchOptional().map(UsersRecord::getId).orElse(null));
    }

    /** @return false if there is no disabled user of that name */
    public boolean enable(String name) {
        return dsl.update(USERS).setNull(USERS.DISABLED_AT).where(USERS.NAME.eq(name), USERS.DISABLED_AT.isNotNull())
                .execute() == 1;
    }

    /** A new password; the user's sessions end (whoever had the old one is logged out). */
    public boolean setPassword(String name, String passwordHash, Instant at) {
        return SessionStore.endingSessions(dsl, API_SESSIONS.USER_ID, d -> d.update(USERS)
                .set(USERS.PASSWORD_HASH, passwordHash).set(USERS.PASSWORD_CHANGED_AT, odt(at))
                .where(USERS.NAME.eq(name)).returning(USERS.ID).fetchOptional().map(UsersRecord::getId).orElse(null));
    }

    public void loggedIn(long id, Instant at) {
        dsl.update(USERS).set(USERS.LAST_LOGIN_AT, odt(at)).where(USERS.ID.eq(id)).execute();
    }

    private static User user(UsersRecord r) {
        return new User(r.getId(), r.getName(), r.getDisplayName(), r.getPasswordHash(), r.getRole(),
                set(r.getCommunities()), set(r.getDuties()), r.getCreatedBy(), instant(r.getCreatedAt()),
                instant(r.getLastLoginAt()), instant(r.getDisabledAt()));
    }
}
