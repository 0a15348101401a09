package pm.monitor.alert;

import java.time.Instant;

/** A line of an alert's log ({@code alert_log}): what was decided about it, when, for which role, and why. */
public record LogEntry(String alertId, Instant at, String action, String role, Integer escalation, String note) {
}
