package pm.monitor.store;

import static pm.monitor.store.schema.Tables.API_SESSIONS;
import static pm.monitor.store.schema.Tables.API_TOKENS;
import static pm.monitor.store.schema.Tables.USERS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import pm.monitor.finding.Json;
import pm.monitor.store.schema.tables.records.ApiTokensRecord;

/**
 * API tokens (table {@code api_tokens}; their sessions are {@link SessionStore}'s). A token is
 * never stored: only its SHA-256, so the table alone opens nothing.
 */
public final class TokenStore {
    private final DSLContext dsl;

    public TokenStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /**
     * A token as stored; {@code communities} null: every community; {@code duties} the handbook
     * roles it answers for, null when none were given.
     */
    public record Token(long id, String name, String role, Set<String> communities, Set<String> duties, String hash,
                        String createdBy, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
        public boolean active() {
            return revokedAt == null;
        }
    }

    public long insert(String name, String role, Collection<String> communities, String hash, String createdBy) {
        return insert(name, role, communities, null, hash, createdBy);
    }

    public long insert(String name, String role, Collection<String> communities, Collection<String> duties, String hash,
                       String createdBy) {
        return dsl.insertInto(API_TOKENS, API_TOKENS.NAME, API_TOKENS.ROLE, API_TOKENS.COMMUNITIES, API_TOKENS.DUTIES,
                        API_TOKENS.HASH, API_TOKENS.CREATED_BY)
                .values(name, role, json(communities), json(duties), hash, createdBy)
                .returning(API_TOKENS.ID).fetchOne().getId();
    }

    /**
     * Whether a token or a user has this name: the name is who acted in the audit and who
     * acknowledged an alert, so one name is never both.
     */
    public boolean exists(String name) {
        return dsl.fetchExists(API_TOKENS, API_TOKENS.NAME.eq(name)) || dsl.fetchExists(USERS, USERS.NAME.eq(name));
    }

    /** JSON for a list of codes; null stays null. Shared with {@link UserStore}. */
    static JSONB json(Collection<String> codes) {
        return codes == null ? null : JSONB.valueOf(Json.write(List.copyOf(codes)));
    }

    /** Every token, revoked ones too (for the record), oldest first. */
    public List<Token> list() {
        return dsl.selectFrom(API_TOKENS).orderBy(API_TOKENS.ID).fetch(TokenStore::token);
    }

    public List<Token> active() {
        return dsl.selectFrom(API_TOKENS).where(API_TOKENS.REVOKED_AT.isNull()).fetch(TokenStore::token);
    }

    public boolean anyActive() {
        return dsl.fetchExists(API_TOKENS, API_TOKENS.REVOKED_AT.isNull());
    }

    /** The active token with this hash, or null. */
    public Token byHash(String hash) {
        ApiTokensRecord r = dsl.selectFrom(API_TOKENS).where(API_TOKENS.HASH.eq(hash), API_TOKENS.REVOKED_AT.isNull())
                .fetchOne();
        return r == null ? null : token(r);
    }

    /** The active token with this id, or null. */
    public Token activeById(long id) {
        ApiTokensRecord r = dsl.selectFrom(API_TOKENS).where(API_TOKENS.ID.eq(id), API_TOKENS.REVOKED_AT.isNull()).fetchOne();
        return r == null ? null : token(r);
    }

    /** Revokes a token and ends its sessions. @return false if there is no active token of that name */
    public boolean revoke(String name, Instant at) {
        return SessionStore.endingSessions(dsl, API_SESSIONS.TOKEN_ID, d -> d.update(API_TOKENS)
                .set(API_TOKENS.REVOKED_AT, odt(at)).where(API_TOKENS.NAME.eq(name), API_TOKENS.REVOKED_AT.isNull())
                .returning(API_TOKENS.ID).fetchOptional().map(ApiTokensRecord::getId).orElse(null));
    }

    public void touch(long id, Instant at) {
        dsl.update(API_TOKENS).set(API_TOKENS.LAST_USED_AT, odt(at)).where(API_TOKENS.ID.eq(id)).execute();
    }

    private static Token token(ApiTokensRecord r) {
        return new Token(r.getId(), r.getName(), r.getRole(), set(r.getCommunities()), set(r.getDuties()), r.getHash(),
                r.getCreatedBy(),
                instant(r.getCreatedAt()), instant(r.getLastUsedAt()), instant(r.getRevokedAt()));
    }

    /** A JSON array of codes as a set; null stays null (every community, no duties). Shared with {@link UserStore}. */
    @SuppressWarnings("unchecked")
    static Set<String> set(JSONB json) {
        if (json == null) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (Object c : (List<Object>) Json.parse(json.data())) {
            out.add(String.valueOf(c));
        }
        return Set.copyOf(out);
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime odt(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
