package pm.monitor.alert;

import java.time.Instant;
import java.util.List;
import pm.monitor.store.AlertStore;

/**
 * One reason not to tell anybody of an alert now (Alertmanager's {@code notify/mute.go}). The
 * decisions on an alert's timer ask the same muters, in the same order, before its first message
 * and before each escalation; the first that answers says why nothing is sent.
 */
interface Muter {

    /** Which message the muters are asked about; where the two differ, the muter says so. */
    enum Stage {
        /** The alert's first message, to the role it was routed to. */
        SEND,
        /** Its escalation to the next role up. */
        ESCALATE
    }

    /**
     * @param s     the store, in the decision's transaction
     * @param items the alert's findings not folded away; a muter may take out those nobody is to
     *              be told of (withdrawn, folded), and mutes the alert when none is left
     * @param role  who would be told: the routed role, or the next role up (null: there is none)
     * @return null to let the message go, else why not
     */
    Mute check(AlertStore s, Group g, List<Item> items, Instant t, String role, Stage stage);

    /** The first muter's answer, in order, or null when none mutes. */
    static Mute first(List<Muter> muters, AlertStore s, Group g, List<Item> items, Instant t, String role, Stage stage) {
        for (Muter m : muters) {
            Mute why = m.check(s, g, items, t, role, stage);
            if (why != null) {
                return why;
            }
        }
        return null;
    }
}
