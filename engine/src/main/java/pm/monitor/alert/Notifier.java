package pm.monitor.alert;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import pm.monitor.store.AlertStore;
import pm.monitor.store.DeliveryStore;
import pm.monitor.store.RosterStore;

/**
 * The fan-out: builds an alert's {@link Notice} (its first message, an escalation or an
 * addendum) and puts one delivery per destination of the role in the outbox, in the decision's
 * transaction; the {@link DeliveryWorker} sends them.
 */
final class Notifier {
    private final RosterStore roster;
    private final Supplier<AlertParameters> params;
    private final Supplier<MessageTemplates> templates;
    private final Links links;
    private final CommunityNames names;
    private final Clock wall;

    /** @param wall the wall clock, for the outbox's timestamps only */
    Notifier(RosterStore roster, Supplier<AlertParameters> params, Supplier<MessageTemplates> templates, Links links,
             CommunityNames names, Clock wall) {
        this.roster = roster;
        this.params = params;
        this.templates = templates;
        this.links = links;
        this.names = names;
        this.wall = wall;
    }

    /** Queues one message per destination of {@code role}, and the role's dashboard inbox. */
    boolean queue(AlertStore s, DeliveryStore d, Group g, List<Item> items, String role, String previous,
                          Instant t) {
        return queue(s, d, g, items, role, previous, t, null);
    }

    /** @param addendum null for the alert's notice or escalation; else the addendum's first finding id */
    boolean queue(AlertStore s, DeliveryStore d, Group g, List<Item> items, String role, String previous,
                          Instant t, String addendum) {
        List<Map<String, Object>> findings = new ArrayList<>();
        items.forEach(i -> findings.add(i.finding()));
        int folded = params.get().inhibitSources().contains(g.rule) ? s.foldedUnder(g.id).size() : 0;
        Set<String> tickets = new HashSet<>();
        for (Item i : items) {
            if (i.ticket() != null) {
                tickets.add(i.ticket());
            }
            if (i.finding().get("details") instanceof Map<?, ?> m && m.get("tickets") instanceof Collection<?> c) {
                c.stream().limit(20).forEach(x -> tickets.add(String.valueOf(x)));
            }
        }
        String part = addendum == null ? "" : Grouper.alertId(addendum, "addendum").substring(1, 17);
        String key = Notice.key(g.id, g.escalation) + (addendum == null ? "" : "+" + part);
        Notice n = new Notice(key, addendum != null, g.id, g.escalation, g.community, g.rule, g.kind, role,
                g.role, previous, previous == null ? null : params.get().ackTimeout(previous), g.emergency, t, g.ackDue,
                g.zone, findings, folded, links.alert(g.id), names.name(g.community), s.ticketFacts(g.community, tickets));
        List<DeliveryStore.NewDelivery> out = new ArrayList<>();
        Set<String> destinations = new HashSet<>();
        MessageTemplates wording = templates.get();
        out.add(new DeliveryStore.NewDelivery(g.id, g.escalation, role, "dashboard", role + "@" + g.community, null,
                n.key(), Formats.render("dashboard", n), part));
        for (RosterStore.Entry e : roster.destinations(g.community, role)) {
            if (destinations.add(e.channel() + "|" + e.address())) {
                out.add(new DeliveryStore.NewDelivery(g.id, g.escalation, role, e.channel(), e.address(), e.id(),
                        n.key(), Formats.render(e.channel(), n, e.mobiles(), wording), part));
            }
        }
        d.insert(out, wall.instant());
        return true;
    }
}
