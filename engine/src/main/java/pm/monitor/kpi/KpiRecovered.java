package pm.monitor.kpi;

import java.time.Instant;

/**
 * A KPI of one community and period that had fallen below its target is back at or above it
 * ({@code value >= target}, with the counts the runtime has), at event time {@code at}: what a
 * standing KPI alert needs to be resolved (Alertmanager's resolved notification). Not a finding:
 * the findings are the falls; a recovery only ends an alert.
 */
public record KpiRecovered(String kpi, String community, String period, double value, long numerator,
                           long denominator, double target, Instant at) {
}
