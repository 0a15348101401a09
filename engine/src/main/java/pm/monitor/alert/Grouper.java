package pm.monitor.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;
import pm.monitor.store.AlertStore;
import pm.monitor.store.DeliveryStore;

/**
 * The grouping (Alertmanager's dispatcher and aggregation groups): puts each finding, for each
 * role it goes to, into the group of its community, rule, kind and role whose window of event
 * time it falls in, or the standing alert of its subject ({@link Repeats}); a finding that joins a
 * group already decided is handled as {@link #joinedLate} says, one that joins a resolved alert
 * fires it again ({@link Resolutions#refire}).
 */
final class Grouper {
    // logged under AlertService, as before the split, so filters on the log keep working
    private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);
    /** The zone of a finding that carries none. */
    static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    private final AlertStore store;
    private final Intake intake;
    private final Supplier<AlertParameters> params;
    private final Notifier notifier;
    private final Runnable wake;

    /**
     * @param intake where a batch goes back when the database refuses it
     * @param wake   tells the delivery worker that messages were queued
     */
    Grouper(AlertStore store, Intake intake, Supplier<AlertParameters> params, Notifier notifier, Runnable wake) {
        this.store = store;
        this.intake = intake;
        this.params = params;
        this.notifier = notifier;
        this.wake = wake;
    }

    /** Puts a batch of queued findings into groups; false if the database refused (they stay queued). */
    boolean group(List<Finding> batch, Instant now) {
        try {
            Set<String> routed = store.routed(batch.stream().map(Finding::id).toList());
            // Each (finding, role) goes to the group of its window of event time (issue 17.13):
            // which group is decided by the finding alone, never by when it was routed or how the
            // ticks fell, so identical findings give identical groups in any order and any run.
            record Placed(Finding x, String role, boolean emergency, String groupId) {
            }
            List<Placed> placed = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            batch.sort(java.util.Comparator.comparing(Finding::at).thenComparing(Finding::id));
            Repeats repeats = Repeats.of(store, batch, params.get().duration("repeat.interval"));
            for (Finding x : batch) {
                if (!params.get().routeKinds().contains(x.kind())) {
                    continue;
                }
                boolean emergency = emergency(x);
                for (String role : roles(x)) {
                    String itemKey = x.id() + "|" + role;
                    if (routed.contains(itemKey) || !seen.add(itemKey)) {
                        continue;
                    }
                    placed.add(new Placed(x, role, emergency, groupId(x, role, emergency)));
                }
            }
            Map<String, Group> groups = store.groups(placed.stream().map(Placed::groupId).collect(java.util.stream.Collectors.toSet()));
            List<Group> created = new ArrayList<>();
            List<Item> items = new ArrayList<>();
            // findings joining a group already decided: by group, in the order placed
            Map<String, List<Item>> late = new LinkedHashMap<>();
            List<LogEntry> updates = new ArrayList<>();
            // resolved alerts whose KPI fell again: fired again (Resolutions)
            List<Group> refired = new ArrayList<>();
            List<Item> recoveredLate = new ArrayList<>();
            for (Placed p : placed) {
                Finding x = p.x();
                // the repeat stage: a standing alert about the same subject takes the finding in
                // place, and nobody is told again (not even by an addendum)
                Group g = repeats.standing(x, p.role());
                boolean repeat = g != null && !g.id.equals(p.groupId());
                if (!repeat) {
                    g = groups.get(p.groupId());
                    if (g == null) {
                        g = newGroup(p.groupId(), x, p.role(), p.emergency(), now);
                        groups.put(g.id, g);
                        created.add(g);
                    }
                } else {
                    // one object per alert in a batch: its findings of several periods change the same one
                    Group known = groups.putIfAbsent(g.id, g);
                    g = known != null ? known : g;
                }
                repeats.opened(x, p.role(), g);
                Item item = new Item(x.id(), p.role(), g.id, x.community(), x.rule(), x.kind(), x.subject(), x.ticket(),
                        x.at(), Json.toMap(x), null);
                items.add(item);
                boolean decided = !g.is(AlertStatus.COLLECTING) && !g.is(AlertStatus.HELD);
                if (g.is(AlertStatus.RESOLVED) && g.resolvedAt != null && !x.at().isAfter(g.resolvedAt)) {
                    // a fall from before its recovery that reached the alerts after it: recovered too
                    updates.add(new LogEntry(g.id, x.at(), "updated", p.role(), g.escalation, x.subject() + " " + x.id()));
                    recoveredLate.add(item);
                } else if (g.is(AlertStatus.RESOLVED)) {
                    updates.add(Resolutions.refire(g, x, now, params.get().window(g.emergency)));
                    refired.add(g);
                } else if (repeat && decided) {
                    updates.add(new LogEntry(g.id, x.at(), "updated", p.role(), g.escalation, x.subject() + " " + x.id()));
                } else if (decided) {
                    late.computeIfAbsent(g.id, k -> new ArrayList<>()).add(item);
                }
            }
            boolean[] queuedMessages = {false};
            if (!items.isEmpty()) {
                store.transaction((s, d) -> {
                    created.forEach(s::insert);
                    s.insert(items);
                    updates.forEach(s::log);
                    refired.forEach(s::update);
                    for (Item i : recoveredLate) {
                        s.recover(i.alertId(), i.subject(), groups.get(i.alertId()).resolvedAt);
                    }
                    for (Map.Entry<String, List<Item>> e : late.entrySet()) {
                        queuedMessages[0] |= joinedLate(s, d, groups.get(e.getKey()), e.getValue(), now);
                    }
                });
            }
            if (queuedMessages[0]) {
                wake.run();
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warn("routing {} findings failed ({}); they stay queued", batch.size(), e.getMessage());
            intake.putBack(batch);
            return false;
        }
    }

    /**
     * Where a finding's window of event time starts: its time rounded down to a multiple of the
     * window (from the epoch, so the same in every run). A zero window (emergencies) has none:
     * every finding is a group of its own.
     */
    private Instant windowStart(Finding x, boolean emergency) {
        long w = params.get().window(emergency).toMillis();
        if (w <= 0) {
            return null;
        }
        return Instant.ofEpochMilli(Math.floorDiv(x.at().toEpochMilli(), w) * w);
    }

    /** The id of the group a finding goes to for {@code role}: from its community, rule, kind, role and window. */
    private String groupId(Finding x, String role, boolean emergency) {
        Instant start = windowStart(x, emergency);
        if (start == null) {
            return alertId(x.id(), role);
        }
        return alertId("window\u0000" + groupKey(x.community(), x.rule(), x.kind(), role, emergency) + '\u0000'
                + start.toEpochMilli() + '\u0000' + params.get().window(emergency).toMillis(), role);
    }

    /**
     * Findings that joined a group already decided (routed after its window closed: a late event,
     * a restart, a community whose clock is behind). They stay members, so the groups are the
     * same however late they came; what happens to them follows the group's state:
     * sent or acknowledged — an addendum (补充) to whoever has the alert now; silenced — nothing
     * (the silence covers them); folded or withdrawn — the group is decided again now, on the
     * findings not yet folded or withdrawn. @return whether messages were queued
     */
    private boolean joinedLate(AlertStore s, DeliveryStore d, Group g, List<Item> added, Instant now) {
        Instant t = g.sentAt != null && now.isBefore(g.sentAt) ? g.sentAt : now;
        String what = added.size() + " finding(s) of its window routed after it was decided";
        switch (g.status()) {
            case SENT, ACKED -> {
                s.log(new LogEntry(g.id, t, "addendum", g.currentRole, g.escalation, what + ": sent as an addendum"));
                return notifier.queue(s, d, g, added, g.currentRole, null, t, added.get(0).findingId());
            }
            case SILENCED -> {
                s.log(new LogEntry(g.id, t, "silenced", g.role, g.escalation, what + ": covered by silence " + g.silenceId));
                return false;
            }
            default -> {
                s.log(new LogEntry(g.id, t, "reopened", g.role, g.escalation, what + " (it was " + g.status + ")"));
                g.status(AlertStatus.COLLECTING);
                g.foldedUnder = null;
                g.dueAt = t;
                s.update(g);
                return false;
            }
        }
    }

    private Group newGroup(String id, Finding x, String role, boolean emergency, Instant now) {
        Group g = new Group();
        g.id = id;
        g.community = x.community();
        g.rule = x.rule();
        g.kind = x.kind();
        g.role = role;
        g.emergency = emergency;
        g.zone = x.zone() != null ? x.zone() : DEFAULT_ZONE;
        g.status(AlertStatus.COLLECTING);
        Instant start = windowStart(x, emergency);
        g.openedAt = start == null ? x.at() : start;
        // A window that closed before now (a late shard, a restart, a backlog) is decided now
        // rather than in the past.
        Instant end = start == null ? x.at() : start.plus(params.get().window(emergency));
        g.dueAt = end.isBefore(now) ? now : end;
        g.currentRole = role;
        return g;
    }

    private Set<String> roles(Finding f) {
        Set<String> roles = new LinkedHashSet<>();
        if (f.role() != null && !f.role().isBlank()) {
            roles.add(f.role());
        }
        if (f.details().get("alsoNotify") instanceof Collection<?> also) {
            also.forEach(r -> roles.add(String.valueOf(r)));
        }
        return roles;
    }

    private boolean emergency(Finding f) {
        return params.get().emergencyRules().contains(f.rule()) || "emergency".equals(f.details().get("urgency"))
                || "emergency".equals(f.details().get("severity"));
    }

    private static String groupKey(String community, String rule, String kind, String role, boolean emergency) {
        return community + '\u0000' + rule + '\u0000' + kind + '\u0000' + role + '\u0000' + emergency;
    }

    /** An alert's id: stable, from its first finding's id and the role it went to. */
    static String alertId(String findingId, String role) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((findingId + '\u0000' + role).getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder("a");
            for (int i = 0; i < 10; i++) {
                b.append(String.format("%02x", h[i]));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
