package pm.monitor.alert;

import java.time.Instant;
import java.time.ZoneId;

/** An alert: the findings grouped for one role, a row of {@code alert_groups} (see the migration for what each field means). */
public final class Group {
    public String id;
    public String community;
    public String rule;
    public String kind;
    public String role;
    public boolean emergency;
    public ZoneId zone;
    /** The stored {@link AlertStatus#value}; read and set it through {@link #status()} and {@link #status(AlertStatus)}. */
    public String status;
    public Instant openedAt;
    public Instant dueAt;
    public int escalation;
    public String currentRole;
    public Instant sentAt;
    public Instant ackDue;
    public Instant ackedAt;
    public String ackedBy;
    public Long silenceId;
    public String foldedUnder;
    /** When it was resolved (event time of the KPI value back at target); null while it fires. */
    public Instant resolvedAt;
    /** Which firing this is: 1, then one more each time it fires again after being resolved. */
    public int fires = 1;

    public AlertStatus status() {
        return AlertStatus.of(status);
    }

    public void status(AlertStatus s) {
        status = s.value();
    }

    public boolean is(AlertStatus s) {
        return s.value().equals(status);
    }
}
