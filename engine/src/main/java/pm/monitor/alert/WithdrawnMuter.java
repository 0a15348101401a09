package pm.monitor.alert;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import pm.monitor.store.AlertStore;

/**
 * Takes out of the items the findings a late event withdrew (see engine/Lateness): a manager is
 * not sent, or escalated to, what the handbook no longer says happened. When none is left the
 * alert ends as "withdrawn". A message already delivered is not recalled; the alert's log and the
 * review list (GET /api/review) say what was withdrawn and why.
 */
final class WithdrawnMuter implements Muter {

    @Override
    public Mute check(AlertStore s, Group g, List<Item> items, Instant t, String role, Stage stage) {
        Set<String> gone = s.withdrawn(items.stream().map(Item::findingId).toList());
        if (gone.isEmpty()) {
            return null;
        }
        items.removeIf(i -> gone.contains(i.findingId()));
        if (!items.isEmpty()) {
            return null;
        }
        String what = stage == Stage.SEND ? "before it was sent" : "escalation stopped";
        return new Mute(AlertStatus.WITHDRAWN, null, new LogEntry(g.id, t, "withdrawn",
                g.currentRole == null ? g.role : g.currentRole, g.escalation,
                what + ": its finding(s) " + String.join(", ", new TreeSet<>(gone)) + " were withdrawn by a late event"));
    }
}
