package pm.monitor.alert;

import java.util.List;
import java.util.Set;

/**
 * Where an alert (a group of findings for one role) stands. {@link #value} is what
 * {@code alert_groups.status} holds and what the API answers, so these strings never change.
 */
public enum AlertStatus {
    /** Its window is open: findings still join it. */
    COLLECTING("collecting"),
    /** Its window closed during its role's quiet hours: it is sent when they end. */
    HELD("held"),
    /** Sent; it climbs to the next role if nobody acknowledges it in time. */
    SENT("sent"),
    ACKED("acked"),
    /** A silence covered it when it was to be sent: nobody was told. */
    SILENCED("silenced"),
    /** Every finding in it went under the alert of a collective or major incident. */
    FOLDED("folded"),
    /** A late event withdrew every finding in it. */
    WITHDRAWN("withdrawn"),
    /**
     * Its KPI came back to target (every finding in it recovered): it stopped firing and climbs no
     * further; whoever was told of it got one resolved notice. A new fall fires it again.
     */
    RESOLVED("resolved");

    /** Whose timer can still fall due (the window's end, the quiet hours' end, the acknowledgement's deadline). */
    public static final Set<AlertStatus> TIMED = Set.of(COLLECTING, HELD, SENT);
    /** Ended without anybody being told: an acknowledgement does not make them "acked", nor are they still firing. */
    public static final Set<AlertStatus> UNTOLD = Set.of(SILENCED, FOLDED, WITHDRAWN);

    private final String value;

    AlertStatus(String value) {
        this.value = value;
    }

    /** The stored string. */
    public String value() {
        return value;
    }

    public static AlertStatus of(String value) {
        for (AlertStatus s : values()) {
            if (s.value.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown alert status " + value);
    }

    /** The stored strings of {@code statuses}, for a query. */
    public static List<String> values(Set<AlertStatus> statuses) {
        return statuses.stream().map(AlertStatus::value).sorted().toList();
    }
}
