package pm.monitor.alert;

import java.time.Instant;
import java.util.List;
import pm.monitor.store.AlertStore;

/**
 * An escalation with nowhere to go: the alert was acknowledged, or its role is the top of the
 * chain. Its timer stops; there is nothing to log.
 */
final class ClimbEndMuter implements Muter {

    @Override
    public Mute check(AlertStore s, Group g, List<Item> items, Instant t, String role, Stage stage) {
        if (stage == Stage.ESCALATE && (g.ackedAt != null || role == null)) {
            return new Mute(null, null, null);
        }
        return null;
    }
}
