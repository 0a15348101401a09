package pm.monitor.access;

import java.util.Collection;
import java.util.Set;

/**
 * Who is calling: a token's or a logged-in person's name, role, communities ({@code null}: all)
 * and duties, the handbook roles it answers for in the alerts ({@code null}: none given). A
 * person has a {@code userId} (and {@code tokenId} 0) and may have a display name; a token the
 * reverse. Every permission check reads role, communities and duties alone, so both pass the same
 * ones. While access is open (no token or user exists yet) every call is {@link #OPEN}: an
 * administrator of everything.
 */
public record Principal(long tokenId, String name, Role role, Set<String> communities, Set<String> duties,
                        long userId, String displayName) {

    public static final Principal OPEN = new Principal(0, "open", Role.ADMIN, null, null);

    public Principal(long tokenId, String name, Role role, Set<String> communities) {
        this(tokenId, name, role, communities, null);
    }

    public Principal(long tokenId, String name, Role role, Set<String> communities, Set<String> duties) {
        this(tokenId, name, role, communities, duties, 0, null);
    }

    /** A person logged in with a password. */
    public static Principal user(long userId, String name, String displayName, Role role, Set<String> communities,
                                 Set<String> duties) {
        return new Principal(0, name, role, communities, duties, userId, displayName);
    }

    /** What the rate limit counts this caller by: its token, or the person. */
    public String limitKey() {
        return userId != 0 ? "user:" + userId : "token:" + tokenId;
    }

    public boolean scoped() {
        return communities != null;
    }

    /**
     * Whether this caller may hand out (or take back) a token of {@code role} for
     * {@code communities} (null: every community): no higher role, no community it does not see.
     */
    public boolean grants(Role role, Collection<String> communities) {
        if (!this.role.covers(role)) {
            return false;
        }
        return this.communities == null || (communities != null && this.communities.containsAll(communities));
    }

    /** Whether this caller may see {@code community}; "*" (every community) only if it sees all. */
    public boolean sees(String community) {
        return communities == null || (community != null && communities.contains(community));
    }
}
