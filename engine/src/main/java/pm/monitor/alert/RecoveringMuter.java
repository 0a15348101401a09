package pm.monitor.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import pm.monitor.kpi.KpiRecovered;
import pm.monitor.store.AlertStore;

/**
 * A KPI alert whose KPI is back at target, waiting out {@code resolve.hold} before it is
 * resolved ({@link Resolutions}): it climbs no further meanwhile. Telling the next role up that a
 * KPI is below target when it is not would be noise; if the KPI stays back, the alert is resolved
 * when the hold ends, and nobody above was ever told. The escalation is looked at again after one
 * more acknowledgement timeout (or when the hold ends, if sooner): a KPI that fell again since
 * climbs then, at most one timeout later than it would have.
 */
final class RecoveringMuter implements Muter {
    private final Resolutions resolutions;
    private final Supplier<AlertParameters> params;

    RecoveringMuter(Resolutions resolutions, Supplier<AlertParameters> params) {
        this.resolutions = resolutions;
        this.params = params;
    }

    @Override
    public Mute check(AlertStore s, Group g, List<Item> items, Instant t, String role, Stage stage) {
        if (stage != Stage.ESCALATE || role == null) {
            return null;
        }
        KpiRecovered r = resolutions.recovering(g.community, items, t);
        if (r == null) {
            return null;
        }
        Instant resolves = resolutions.resolvesAt(r);
        Instant next = t.plus(params.get().ackTimeout(g.currentRole));
        if (resolves.isBefore(next)) {
            next = resolves;
        }
        if (!next.isAfter(t)) {
            next = t.plus(Duration.ofMinutes(1)); // the hold ends now: the resolution comes in this tick
        }
        return new Mute(null, next, new LogEntry(g.id, t, "held", role, g.escalation,
                "escalation waits: " + r.kpi() + " " + r.period() + " back at target since " + r.at()
                        + ", resolved at " + resolves + " if it stays back"));
    }
}
