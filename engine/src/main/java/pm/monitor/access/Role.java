package pm.monitor.access;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What a token may do; the matrix of routes is in {@link Permissions}. */
public enum Role {
    /** A sending system: may only post events. */
    INGEST,
    /** The quality department: reads everything of its communities. */
    VIEWER,
    /** A community manager: reads its communities, acknowledges their alerts, silences them. */
    MANAGER,
    /** A rules analyst: reads, reloads and rolls back rules, runs backtests. */
    ANALYST,
    /** Tokens, roster, settings, the clock: everything. */
    ADMIN;

    public static final List<String> NAMES = Arrays.stream(values()).map(Role::id).toList();

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether this role may do all that {@code other} may: an administrator anything, a manager or
     * an analyst what a viewer may (and its own), the others only their own.
     */
    public boolean covers(Role other) {
        return this == ADMIN || this == other || (other == VIEWER && (this == MANAGER || this == ANALYST));
    }

    public static Role of(String id) {
        for (Role r : values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        throw new IllegalArgumentException("role must be one of " + NAMES + ", not \"" + id + "\"");
    }
}
