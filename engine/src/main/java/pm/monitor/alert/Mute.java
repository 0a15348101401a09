package pm.monitor.alert;

import java.time.Instant;
import pm.monitor.store.AlertStore;

/**
 * Why a {@link Muter} kept an alert's message back, and what that does to the alert.
 *
 * @param status      the alert's new status; null leaves it (an escalation that waits or stops)
 * @param dueAt       the alert's next timer; null: none
 * @param log         the line for the alert's log; null: nothing to say
 * @param silenceId   the silence that covered it, with {@link AlertStatus#SILENCED}
 * @param foldedUnder the alert it went under, with {@link AlertStatus#FOLDED}
 */
record Mute(AlertStatus status, Instant dueAt, LogEntry log, Long silenceId, String foldedUnder) {

    Mute(AlertStatus status, Instant dueAt, LogEntry log) {
        this(status, dueAt, log, null, null);
    }

    void apply(AlertStore s, Group g) {
        if (status != null) {
            g.status(status);
            if (status == AlertStatus.SILENCED) {
                g.silenceId = silenceId;
            } else if (status == AlertStatus.FOLDED) {
                g.foldedUnder = foldedUnder;
            }
        }
        g.dueAt = dueAt;
        if (log != null) {
            s.log(log);
        }
    }
}
