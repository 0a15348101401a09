package pm.monitor.alert;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import pm.monitor.store.AlertStore;

/**
 * The quiet hours of the role to be told, unless an emergency: the alert is held (its first
 * message) or its escalation waits until they end, and is decided again then.
 */
final class QuietHoursMuter implements Muter {
    private final Supplier<AlertParameters> params;

    QuietHoursMuter(Supplier<AlertParameters> params) {
        this.params = params;
    }

    @Override
    public Mute check(AlertStore s, Group g, List<Item> items, Instant t, String role, Stage stage) {
        QuietHours quiet = params.get().quiet(role);
        if (g.emergency || quiet == null || !quiet.covers(t, g.zone)) {
            return null;
        }
        Instant end = quiet.end(t, g.zone);
        if (stage == Stage.ESCALATE) {
            return new Mute(null, end, new LogEntry(g.id, t, "held", role, g.escalation,
                    "escalation waits for the quiet hours " + quiet + " of " + role + " to end at " + end));
        }
        return new Mute(AlertStatus.HELD, end, new LogEntry(g.id, t, "held", role, g.escalation,
                "quiet hours " + quiet + " of " + role + " until " + end));
    }
}
