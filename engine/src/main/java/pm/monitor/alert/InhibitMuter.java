package pm.monitor.alert;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import pm.monitor.store.AlertStore;

/**
 * Inhibition, before the first message only: takes out of the items those about a ticket of an
 * incident that a source rule (complaint.collective, complaint.major) had already flagged by the
 * decision's time, marking them folded under that alert; when none is left the alert ends as
 * "folded". An alert already sent keeps climbing on what it said.
 */
final class InhibitMuter implements Muter {
    private final Supplier<AlertParameters> params;

    InhibitMuter(Supplier<AlertParameters> params) {
        this.params = params;
    }

    @Override
    public Mute check(AlertStore s, Group g, List<Item> items, Instant t, String role, Stage stage) {
        if (stage != Stage.SEND) {
            return null;
        }
        String under = fold(s, g, items, t);
        if (!items.isEmpty()) {
            return null;
        }
        return new Mute(AlertStatus.FOLDED, null, new LogEntry(g.id, t, "folded", g.role, g.escalation, "under alert " + under),
                null, under);
    }

    /** @return the alert the items were folded under, if any */
    private String fold(AlertStore s, Group g, List<Item> items, Instant t) {
        Set<String> sources = params.get().inhibitSources();
        if (sources.contains(g.rule)) {
            return null;
        }
        Set<String> tickets = new HashSet<>();
        items.forEach(i -> {
            if (i.ticket() != null) {
                tickets.add(i.ticket());
            }
        });
        if (tickets.isEmpty()) {
            return null;
        }
        List<Item> incidents = s.itemsOfRules(g.community, sources, t);
        if (incidents.isEmpty()) {
            return null;
        }
        Map<String, String> incidentOf = s.incidentsOf(g.community, tickets);
        String under = null;
        for (var it = items.iterator(); it.hasNext(); ) {
            Item i = it.next();
            if (i.ticket() == null) {
                continue;
            }
            Item source = null;
            // The latest flag wins: an incident that became major after it was collective folds under the major alert.
            for (Item candidate : incidents) {
                if (covers(candidate, i.ticket(), incidentOf.get(i.ticket()))) {
                    source = candidate;
                }
            }
            if (source != null) {
                s.fold(i, source.alertId());
                s.log(new LogEntry(source.alertId(), t, "folded-in", g.role, null,
                        i.rule() + " " + i.kind() + " on " + i.subject() + " (alert " + g.id + ")"));
                under = source.alertId();
                it.remove();
            }
        }
        return under;
    }

    /** Whether an incident's alert is about this ticket: by incident key, by its ticket list, or by the ticket itself. */
    private static boolean covers(Item source, String ticket, String incident) {
        if (incident != null && incident.equals(source.subject())) {
            return true;
        }
        if (ticket.equals(source.ticket())) {
            return true;
        }
        Object details = source.finding().get("details");
        return details instanceof Map<?, ?> m && m.get("tickets") instanceof Collection<?> c && c.contains(ticket);
    }
}
