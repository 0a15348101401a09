package pm.monitor.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import pm.monitor.store.AlertStore;
import pm.monitor.store.DeliveryStore;
import pm.monitor.store.SilenceStore;

/**
 * What happens when an alert's timer falls due (Alertmanager's notify pipeline): the
 * {@link Muter}s are asked, in order, whether anybody is to be told now; if none objects the
 * alert is sent to its role (its window or quiet hours ended) or climbs to the next role up (not
 * acknowledged in time), through the {@link Notifier}. One transaction per decision, with the
 * deliveries it causes.
 */
final class Pipeline {
    private final AlertStore store;
    private final Supplier<AlertParameters> params;
    private final Notifier notifier;
    /** Why an alert is not sent or escalated now, asked in this order. */
    private final List<Muter> muters;

    Pipeline(AlertStore store, SilenceStore silences, Supplier<AlertParameters> params, Notifier notifier,
             Resolutions resolutions) {
        this.store = store;
        this.params = params;
        this.notifier = notifier;
        this.muters = List.of(new WithdrawnMuter(), new ClimbEndMuter(), new SilenceMuter(silences),
                new InhibitMuter(params), new RecoveringMuter(resolutions, params), new QuietHoursMuter(params));
    }

    /**
     * Acts on a group whose timer is due.
     *
     * @param startedAt when the service started ticking
     * @return whether messages were queued
     */
    boolean decide(Group g, Instant startedAt) {
        // Timers that fell due while the service was not running act when it starts.
        Instant t = g.dueAt.isBefore(startedAt) ? startedAt : g.dueAt;
        boolean[] queued = {false};
        store.transaction((s, d) -> {
            Group now = s.lockGroup(g.id);
            if (now == null || now.status() != g.status() || !Objects.equals(now.dueAt, g.dueAt)) {
                return; // acknowledged (or decided) meanwhile, perhaps on another instance of a cluster
            }
            if (g.is(AlertStatus.SENT)) {
                queued[0] = escalate(s, d, g, t);
            } else {
                queued[0] = flush(s, d, g, t);
            }
            s.update(g);
        });
        return queued[0];
    }

    /**
     * Sends the alert to its role (its window or the quiet hours ended), unless a muter keeps it
     * back.
     */
    private boolean flush(AlertStore s, DeliveryStore d, Group g, Instant t) {
        AlertParameters p = params.get();
        List<Item> items = unfolded(s, g);
        Mute mute = Muter.first(muters, s, g, items, t, g.role, Muter.Stage.SEND);
        if (mute != null) {
            mute.apply(s, g);
            return false;
        }
        g.status(AlertStatus.SENT);
        g.sentAt = t;
        boolean escalates = p.escalateKinds().contains(g.kind);
        g.ackDue = escalates ? t.plus(p.ackTimeout(g.role)) : null;
        g.dueAt = escalates && p.next(g.role) != null ? g.ackDue : null;
        s.log(new LogEntry(g.id, t, "sent", g.role, 0, items.size() + " finding(s)"));
        return notifier.queue(s, d, g, items, g.role, null, t);
    }

    /** Hands a sent alert nobody acknowledged in time to the next role up, unless a muter keeps it back. */
    private boolean escalate(AlertStore s, DeliveryStore d, Group g, Instant t) {
        AlertParameters p = params.get();
        List<Item> items = unfolded(s, g);
        String next = p.next(g.currentRole);
        Mute mute = Muter.first(muters, s, g, items, t, next, Muter.Stage.ESCALATE);
        if (mute != null) {
            mute.apply(s, g);
            return false;
        }
        String previous = g.currentRole;
        g.escalation++;
        g.currentRole = next;
        g.ackDue = t.plus(p.ackTimeout(next));
        g.dueAt = p.next(next) != null ? g.ackDue : null;
        if (!g.emergency && p.digest(next) != null) {
            // the role's daily digest tells of it (Digests); it is the role's in its inbox from now
            s.log(new LogEntry(g.id, t, "digested", next, g.escalation,
                    "not acknowledged by " + previous + " within " + p.ackTimeout(previous) + "; in the digest"));
            return false;
        }
        s.log(new LogEntry(g.id, t, "escalated", next, g.escalation,
                "not acknowledged by " + previous + " within " + p.ackTimeout(previous)));
        return notifier.queue(s, d, g, items, next, previous, t);
    }

    /** The alert's findings not folded under another alert. */
    private static List<Item> unfolded(AlertStore s, Group g) {
        List<Item> items = new ArrayList<>();
        for (Item i : s.items(g.id)) {
            if (i.foldedUnder() == null) {
                items.add(i);
            }
        }
        return items;
    }
}
