package pm.monitor.alert;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pm.monitor.finding.Finding;
import pm.monitor.store.AlertStore;

/**
 * The repeat stage (issue 19.3, Alertmanager's {@code repeat_interval}): a finding about what an
 * alert already stands for — the same community, rule, kind, role and subject — joins that alert
 * instead of opening a new one, so it is not sent again nor starts a climb of its own:
 * <ul>
 * <li>a KPI below target (its finding names a {@code kpi} and a {@code period}) is one alert per
 *     KPI and period, updated in place with each new value; the runtime raises one each time the
 *     KPI falls again after recovering, which for a 100% target is every late ticket;</li>
 * <li>anything else joins while the alert is younger than {@code repeat.interval}; later it is
 *     a new alert, sent again.</li>
 * </ul>
 * An alert withdrawn, folded under an incident or silenced does not stand: a finding after it is
 * judged afresh. One instance per batch of findings: it reads the standing alerts of the batch's
 * subjects once and remembers the alerts the batch opens.
 */
final class Repeats {
    private final Map<String, Group> standing;
    private final Duration interval;

    private Repeats(Map<String, Group> standing, Duration interval) {
        this.standing = standing;
        this.interval = interval;
    }

    static Repeats of(AlertStore store, List<Finding> batch, Duration interval) {
        Set<String> communities = new HashSet<>();
        Set<String> rules = new HashSet<>();
        Set<String> subjects = new HashSet<>();
        for (Finding f : batch) {
            communities.add(f.community());
            rules.add(f.rule());
            subjects.add(f.subject());
        }
        return new Repeats(store.firing(communities, rules, subjects), interval);
    }

    /** The standing alert this finding, routed to {@code role}, belongs to, or null if it is new. */
    Group standing(Finding x, String role) {
        Group g = standing.get(AlertStore.firingKey(x.community(), x.rule(), x.kind(), role, x.subject()));
        if (g == null) {
            return null;
        }
        if (kpi(x)) {
            return g;
        }
        return x.at().isBefore(g.openedAt.plus(interval)) ? g : null;
    }

    /** An alert opened by this batch: later findings about its subject join it. */
    void opened(Finding x, String role, Group g) {
        standing.putIfAbsent(AlertStore.firingKey(x.community(), x.rule(), x.kind(), role, x.subject()), g);
    }

    private static boolean kpi(Finding x) {
        return x.details().get("kpi") != null && x.details().get("period") != null;
    }
}
