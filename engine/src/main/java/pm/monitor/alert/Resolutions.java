package pm.monitor.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import pm.monitor.finding.Finding;
import pm.monitor.kpi.KpiRecovered;
import pm.monitor.store.AlertStore;

/**
 * The resolve stage (Alertmanager's {@code send_resolved}): a KPI alert stops firing when its KPI
 * comes back to target. The KPI runtime says when a KPI of a period is back ({@link KpiRecovered},
 * at the event time of the value that brought it back); once it has stayed back for
 * {@code resolve.hold} (no new fall: Prometheus' {@code keep_firing_for}, against a KPI flapping
 * around its target), each finding of that KPI and period found before it is marked recovered,
 * and an alert all of whose findings recovered is resolved as of that value's time:
 * <ul>
 * <li>sent or acknowledged: it climbs no further, and each destination told of its present firing
 *     gets one resolved notice (a role it never reached gets none);</li>
 * <li>still collecting or held for quiet hours: it ends without anybody being told (nothing is
 *     left to tell);</li>
 * <li>a later fall of the same KPI and period fires the same alert again ({@link #refire}): sent
 *     again, climbing again, its messages told apart from the earlier firing's.</li>
 * </ul>
 * Idempotent: a recovery seen again (a restart, a rebuild re-evaluating the history) finds its
 * findings recovered already and does nothing, and the outbox's unique part keeps a resolved
 * notice from being queued twice. Violations are not resolved: a missed deadline stays missed;
 * a withdrawn finding is the {@link WithdrawnMuter}'s.
 */
final class Resolutions {
    /**
     * How long (event time) a recovery that matches no alert yet is kept: the finding of its fall
     * may still be on its way (the finding writer stores it before the alerts see it).
     */
    static final Duration WAIT = Duration.ofDays(1);

    private final AlertStore store;
    private final Notifier notifier;
    private final Supplier<AlertParameters> params;
    /** community, KPI and period → the latest recovery not yet applied */
    private final Map<String, KpiRecovered> pending = new ConcurrentHashMap<>();

    Resolutions(AlertStore store, Notifier notifier, Supplier<AlertParameters> params) {
        this.store = store;
        this.notifier = notifier;
        this.params = params;
    }

    /** When a recovery takes effect: once its KPI stayed at target for {@code resolve.hold}. */
    private Instant effective(KpiRecovered r) {
        return r.at().plus(params.get().duration("resolve.hold"));
    }

    /**
     * The recovery this KPI alert waits on at {@code t}: every KPI and period its findings are
     * about came back at or before {@code t} and has not fallen since (no finding of it after its
     * recovery), and is waiting out {@code resolve.hold}; the one that takes effect last, or null.
     * What the {@link RecoveringMuter} asks before an escalation.
     */
    KpiRecovered recovering(String community, List<Item> items, Instant t) {
        if (pending.isEmpty() || items.isEmpty()) {
            return null;
        }
        KpiRecovered last = null;
        for (Item i : items) {
            String kpi = kpi(i);
            if (kpi == null) {
                return null; // not a KPI alert
            }
            KpiRecovered r = pending.get(key(community, kpi, i.subject()));
            if (r == null || r.at().isAfter(t) || i.at().isAfter(r.at())) {
                return null; // not back, or fell again since
            }
            if (last == null || effective(r).isAfter(effective(last))) {
                last = r;
            }
        }
        return last;
    }

    /** When a recovery waiting out its hold resolves its alerts, if its KPI stays back. */
    Instant resolvesAt(KpiRecovered r) {
        return effective(r);
    }

    /** Takes recoveries from the KPI runtime (any thread); only the latest of each KPI and period matters. */
    void recovered(List<KpiRecovered> recoveries) {
        for (KpiRecovered r : recoveries) {
            pending.merge(key(r), r, (had, now) -> now.at().isBefore(had.at()) ? had : now);
        }
    }

    /** The distinct times the recoveries waiting take effect in (after, upTo], earliest first. */
    List<Instant> times(Instant after, Instant upTo) {
        if (pending.isEmpty()) {
            return List.of();
        }
        return pending.values().stream().map(this::effective).filter(t -> t.isAfter(after) && !t.isAfter(upTo))
                .distinct().sorted().toList();
    }

    /**
     * Applies the recoveries waiting that take effect at or before {@code upTo} (came back at least
     * {@code resolve.hold} before it), at the alert clock {@code now}. One whose KPI fell again
     * since (a finding after it) is dropped: the alert fires on, updated in place.
     *
     * @return whether messages were queued
     */
    boolean tick(Instant now, Instant upTo) {
        if (pending.isEmpty()) {
            return false;
        }
        Map<String, List<KpiRecovered>> byCommunity = new TreeMap<>();
        for (KpiRecovered r : pending.values()) {
            if (!effective(r).isAfter(upTo)) {
                byCommunity.computeIfAbsent(r.community(), k -> new ArrayList<>()).add(r);
            }
        }
        boolean queued = false;
        for (Map.Entry<String, List<KpiRecovered>> e : byCommunity.entrySet()) {
            List<KpiRecovered> rs = e.getValue();
            rs.sort(Comparator.comparing(KpiRecovered::at).thenComparing(KpiRecovered::period));
            List<Item> items = store.itemsAbout(e.getKey(), rs.stream().map(KpiRecovered::period).distinct().toList());
            // alert → the recoveries of its findings
            Map<String, List<KpiRecovered>> recovered = new LinkedHashMap<>();
            for (KpiRecovered r : rs) {
                Set<String> alerts = new LinkedHashSet<>();
                boolean any = false;
                for (Item i : items) {
                    if (i.subject().equals(r.period()) && r.kpi().equals(kpi(i))) {
                        any = true;
                        if (!i.at().isAfter(r.at())) {
                            alerts.add(i.alertId());
                        }
                    }
                }
                if (!any && now != null && now.isBefore(r.at().plus(WAIT))) {
                    continue; // its fall's finding may not have reached the alerts yet
                }
                for (String id : alerts) {
                    // seen before (a restart, a rebuild) it marks nothing; the alert is still looked
                    // at, in case a stop came between marking its findings and resolving it
                    store.recover(id, r.period(), r.at());
                    recovered.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
                }
                pending.remove(key(r), r);
            }
            for (Map.Entry<String, List<KpiRecovered>> a : recovered.entrySet()) {
                queued |= resolve(a.getKey(), a.getValue());
            }
        }
        return queued;
    }

    /** Resolves an alert none of whose findings is left firing; @param back what brought its last ones back */
    private boolean resolve(String alertId, List<KpiRecovered> back) {
        boolean[] queued = {false};
        store.transaction((s, d) -> {
            Group g = s.group(alertId);
            if (g == null || s.unrecovered(alertId) > 0) {
                return;
            }
            KpiRecovered last = back.get(back.size() - 1);
            StringBuilder note = new StringBuilder();
            for (KpiRecovered r : back) {
                note.append(note.length() == 0 ? "" : "; ").append(r.kpi()).append(' ').append(r.period())
                        .append(" back at target: ").append(percent(r.value())).append(" (").append(r.numerator())
                        .append('/').append(r.denominator()).append(") >= ").append(percent(r.target()));
            }
            // decided when the hold ended (the log's time); resolved as of when it came back
            Instant decided = effective(last);
            note.append(", held ").append(params.get().duration("resolve.hold"));
            switch (g.status()) {
                case SENT, ACKED -> {
                    close(g, last);
                    // one line per role told, as "sent" and "escalated" are: who heard of the recovery
                    Set<String> told = notifier.resolved(d, g, back);
                    for (String role : told) {
                        s.log(new LogEntry(g.id, decided, "resolved", role, g.escalation, note + "; resolved notice sent"));
                    }
                    if (told.isEmpty()) {
                        s.log(new LogEntry(g.id, decided, "resolved-untold", g.currentRole, g.escalation,
                                note + "; no destination of its firing left to tell"));
                    }
                    queued[0] = !told.isEmpty();
                }
                case COLLECTING, HELD -> {
                    close(g, last);
                    s.log(new LogEntry(g.id, decided, "resolved-untold", g.role, g.escalation,
                            note + ", before anybody was told"));
                }
                default -> {
                    return;
                }
            }
            s.update(g);
        });
        return queued[0];
    }

    private static void close(Group g, KpiRecovered r) {
        g.status(AlertStatus.RESOLVED);
        g.resolvedAt = r.at();
        g.dueAt = null;
    }

    /**
     * A finding joining a resolved alert: its KPI fell again in the period. The alert fires again,
     * from the start: to its own role when its window ends, climbing if nobody acknowledges.
     */
    static LogEntry refire(Group g, Finding x, Instant now, Duration window) {
        g.fires++;
        g.status(AlertStatus.COLLECTING);
        Instant end = x.at().plus(window);
        g.dueAt = end.isBefore(now) ? now : end;
        g.escalation = 0;
        g.currentRole = g.role;
        g.sentAt = null;
        g.ackDue = null;
        g.ackedAt = null;
        g.ackedBy = null;
        g.resolvedAt = null;
        g.silenceId = null;
        g.foldedUnder = null;
        return new LogEntry(g.id, x.at(), "refired", g.role, 0,
                "fell again after it was resolved (firing " + g.fires + "): " + x.subject() + " " + x.id());
    }

    private static String kpi(Item i) {
        return i.finding().get("details") instanceof Map<?, ?> d && d.get("kpi") != null ? String.valueOf(d.get("kpi")) : null;
    }

    private static String key(KpiRecovered r) {
        return key(r.community(), r.kpi(), r.period());
    }

    /** The key of {@link #pending}: a community's KPI in one period. */
    private static String key(String community, String kpi, String period) {
        return community + '\u0000' + kpi + '\u0000' + period;
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
    }
}
