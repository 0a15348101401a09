package pm.monitor.alert;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import pm.monitor.finding.Json;
import pm.monitor.store.AlertStore;

/**
 * Acknowledging an alert, PagerDuty's way (issue 19.5): the acknowledger is whoever is logged
 * in, never a name typed in a form, and one may acknowledge only what the routing brought to
 * a role one answers for: the role it was routed to, or one it has climbed to since. An
 * acknowledgement stops the escalation. Taken out of AlertService, which decides the rest.
 */
public final class Acknowledger {

    public enum Result { ACKED, ALREADY, NOT_FOUND, NOT_YOURS }

    /** What happened, with the roles the alert was for (to say why it is not the caller's). */
    public record Outcome(Result result, Set<String> roles) {
    }

    private final AlertStore store;
    private final Supplier<AlertParameters> params;
    private final Consumer<String> publish;
    /** The decisions' lock: an acknowledgement never lands in the middle of a tick's decision. */
    private final Object lock;

    Acknowledger(AlertStore store, Supplier<AlertParameters> params, Consumer<String> publish, Object lock) {
        this.store = store;
        this.params = params;
        this.publish = publish;
        this.lock = lock;
    }

    /**
     * The roles an alert has been for: the one it was routed to and each it escalated to, in
     * order (the chain of the settings in force, walked as far as it climbed).
     */
    public Set<String> rolesOf(Group g) {
        Set<String> roles = new LinkedHashSet<>();
        roles.add(g.role);
        String r = g.role;
        AlertParameters p = params.get();
        for (int i = 0; i < g.escalation && r != null; i++) {
            r = p.next(r);
            if (r != null) {
                roles.add(r);
            }
        }
        if (g.currentRole != null) {
            roles.add(g.currentRole);
        }
        return roles;
    }

    /**
     * The handbook roles a caller answers for: its own duties if it has any, else for a manager
     * the setting {@code manager.roles}; null (every role) otherwise: an administrator acts on
     * anything, a viewer reads all of its communities and acknowledges nothing (Permissions).
     */
    public Set<String> answersFor(Set<String> duties, boolean manager) {
        if (duties != null && !duties.isEmpty()) {
            return duties;
        }
        return manager ? AlertParameters.list(params.get().get("manager.roles")) : null;
    }

    /**
     * Acknowledges an alert at {@code now} (the monitor's clock) as {@code by}, who answers for
     * {@code roles} (null: any role).
     */
    public Outcome ack(String alertId, String by, Set<String> roles, Instant now) {
        synchronized (lock) {
            Group[] found = {null};
            Outcome[] refused = {null};
            AtomicReference<Set<String>> roleSet = new AtomicReference<>();
            // read and written under the row's lock: the alerts' leader of a cluster may be deciding on it
            store.transaction((s, d) -> {
                Group g = s.lockGroup(alertId);
                if (g == null) {
                    refused[0] = new Outcome(Result.NOT_FOUND, Set.of());
                    return;
                }
                Set<String> its = rolesOf(g);
                roleSet.set(its);
                if (roles != null && its.stream().noneMatch(roles::contains)) {
                    refused[0] = new Outcome(Result.NOT_YOURS, its);
                    return;
                }
                if (g.ackedAt != null) {
                    refused[0] = new Outcome(Result.ALREADY, its);
                    return;
                }
                g.ackedAt = now;
                g.ackedBy = by;
                // an alert that ended stays as it ended; the acknowledgement is still recorded
                if (!AlertStatus.UNTOLD.contains(g.status()) && !g.is(AlertStatus.RESOLVED)) {
                    g.status(AlertStatus.ACKED);
                }
                g.dueAt = null;
                s.update(g);
                s.log(new LogEntry(g.id, now, "acked", g.currentRole, g.escalation, "by " + by));
                found[0] = g;
            });
            if (refused[0] != null) {
                return refused[0];
            }
            Group g = found[0];
            Set<String> its = roleSet.get();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "ack");
            m.put("alert", g.id);
            m.put("community", g.community);
            m.put("role", g.currentRole);
            m.put("routedRole", g.role);
            m.put("by", by);
            m.put("at", now.toString());
            publish.accept(Json.write(m));
            return new Outcome(Result.ACKED, its);
        }
    }
}
