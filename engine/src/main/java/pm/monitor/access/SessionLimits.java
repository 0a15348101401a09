package pm.monitor.access;

import java.time.Duration;

/**
 * How long a dashboard session lasts: it ends after {@code idle} without a request (each use
 * slides this forward), and at the latest {@code absolute} after login, used or not.
 */
public record SessionLimits(Duration idle, Duration absolute) {
    /** A working day and then some, idle; a week at most, so a lost phone's session does not live on. */
    public static final SessionLimits DEFAULT = new SessionLimits(Duration.ofHours(12), Duration.ofDays(7));

    public SessionLimits {
        if (idle.isZero() || idle.isNegative() || absolute.isZero() || absolute.isNegative()) {
            throw new IllegalArgumentException("session limits must be positive");
        }
    }

    /**
     * How stale a session's last use may be before it is written again, and how long a session is
     * trusted from the cache: a minute, or less for short idle limits, so idling is measured
     * within that much.
     */
    public Duration slack() {
        Duration quarter = idle.dividedBy(4);
        return quarter.compareTo(Duration.ofMinutes(1)) < 0 ? quarter : Duration.ofMinutes(1);
    }
}
