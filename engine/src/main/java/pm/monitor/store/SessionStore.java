package pm.monitor.store;

import static pm.monitor.store.TokenStore.instant;
import static pm.monitor.store.TokenStore.odt;
import static pm.monitor.store.schema.Tables.API_SESSIONS;

import java.time.Instant;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.TableField;
import pm.monitor.store.schema.tables.records.ApiSessionsRecord;

/**
 * Dashboard sessions (table {@code api_sessions}): opened with a token or with a user's password,
 * ended by logout, by idling past the idle limit (the last use, {@code last_seen_at}, slides
 * forward) or at their absolute end ({@code expires_at}). Only the session id's SHA-256 is stored.
 */
public final class SessionStore {
    private final DSLContext dsl;

    public SessionStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** A live session: whose it is (a token's id or a user's id, the other null) and when it ends at the latest. */
    public record Session(Long tokenId, Long userId, Instant expiresAt, Instant lastSeenAt) {
    }

    public void insert(String hash, Long tokenId, Long userId, Instant now, Instant expiresAt) {
        dsl.insertInto(API_SESSIONS, API_SESSIONS.HASH, API_SESSIONS.TOKEN_ID, API_SESSIONS.USER_ID,
                        API_SESSIONS.CREATED_AT, API_SESSIONS.LAST_SEEN_AT, API_SESSIONS.EXPIRES_AT)
                .values(hash, tokenId, userId, odt(now), odt(now), odt(expiresAt)).execute();
    }

    /** The session with this hash if it has not ended at {@code now} (used after {@code idleSince}), else null. */
    public Session find(String hash, Instant now, Instant idleSince) {
        ApiSessionsRecord r = dsl.selectFrom(API_SESSIONS)
                .where(API_SESSIONS.HASH.eq(hash), API_SESSIONS.EXPIRES_AT.gt(odt(now)),
                        API_SESSIONS.LAST_SEEN_AT.gt(odt(idleSince)))
                .fetchOne();
        return r == null ? null : new Session(r.getTokenId(), r.getUserId(), instant(r.getExpiresAt()),
                instant(r.getLastSeenAt()));
    }

    /** Slides the idle limit: the session was used at {@code now} (written only if last seen before {@code staleBefore}). */
    public void seen(String hash, Instant now, Instant staleBefore) {
        dsl.update(API_SESSIONS).set(API_SESSIONS.LAST_SEEN_AT, odt(now))
                .where(API_SESSIONS.HASH.eq(hash), API_SESSIONS.LAST_SEEN_AT.lt(odt(staleBefore))).execute();
    }

    /**
     * Runs {@code change} (which returns the id of the token or user it changed, or null when there
     * was none) and, in the same transaction, ends that owner's sessions: a revoked token or a
     * disabled user is logged out everywhere at once.
     *
     * @param owner {@code API_SESSIONS.TOKEN_ID} or {@code API_SESSIONS.USER_ID}
     * @return whether {@code change} changed anything
     */
    static boolean endingSessions(DSLContext dsl, TableField<ApiSessionsRecord, Long> owner,
                                  Function<DSLContext, Long> change) {
        return dsl.transactionResult(c -> {
            Long id = change.apply(c.dsl());
            if (id == null) {
                return false;
            }
            c.dsl().deleteFrom(API_SESSIONS).where(owner.eq(id)).execute();
            return true;
        });
    }

    public void delete(String hash) {
        dsl.deleteFrom(API_SESSIONS).where(API_SESSIONS.HASH.eq(hash)).execute();
    }

    /** Drops the sessions that ended; they would be refused anyway. */
    public int deleteEnded(Instant now, Instant idleSince) {
        return dsl.deleteFrom(API_SESSIONS)
                .where(API_SESSIONS.EXPIRES_AT.le(odt(now)).or(API_SESSIONS.LAST_SEEN_AT.le(odt(idleSince)))).execute();
    }
}
