package pm.monitor.access;

import java.util.Collection;
import java.util.Set;

/**
 * Who is calling: a token's name, role and communities ({@code null}: all). While access is
 * open (no token exists yet) every call is {@link #OPEN}: an administrator of everything.
 */
public record Principal(long tokenId, String name, Role role, Set<String> communities) {

    public static final Principal OPEN = new Principal(0, "open", Role.ADMIN, null);

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
