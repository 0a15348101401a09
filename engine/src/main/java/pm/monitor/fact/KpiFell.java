package pm.monitor.fact;

import java.time.Instant;

/**
 * A KPI of one community and period went from meeting its target (or having no value) to
 * missing it. Raised once per fall: it must recover before it can fall again.
 */
public record KpiFell(String kpi, String community, String period, double value, long numerator, long denominator,
                      double target, Instant at, int occurrence) {
}
