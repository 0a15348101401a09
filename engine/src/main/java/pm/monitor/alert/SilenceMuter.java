package pm.monitor.alert;

import java.time.Instant;
import java.util.List;
import pm.monitor.store.AlertStore;
import pm.monitor.store.SilenceStore;
import pm.monitor.store.SilenceStore.Silence;

/**
 * A silence covering the alert's community and rule. Before the first message the alert ends as
 * "silenced" and nobody is told; after it, the silence only stops the climb (the alert stays sent).
 */
final class SilenceMuter implements Muter {
    private final SilenceStore silences;

    SilenceMuter(SilenceStore silences) {
        this.silences = silences;
    }

    @Override
    public Mute check(AlertStore s, Group g, List<Item> items, Instant t, String role, Stage stage) {
        Silence silence = covering(g, t);
        if (silence == null) {
            return null;
        }
        if (stage == Stage.ESCALATE) {
            return new Mute(null, null, new LogEntry(g.id, t, "silenced", g.currentRole, g.escalation,
                    "escalation stopped by silence " + silence.id() + " by " + silence.author() + ": " + silence.reason()));
        }
        return new Mute(AlertStatus.SILENCED, null, new LogEntry(g.id, t, "silenced", g.role, g.escalation,
                "silence " + silence.id() + " by " + silence.author() + ": " + silence.reason()), silence.id(), null);
    }

    private Silence covering(Group g, Instant t) {
        for (Silence x : silences.list(t)) {
            if (x.covers(g.community, g.rule, t)) {
                return x;
            }
        }
        return null;
    }
}
