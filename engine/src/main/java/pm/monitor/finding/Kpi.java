package pm.monitor.finding;

import java.util.Map;

/**
 * One KPI value (CONTRACT.md): for a community or {@code *} (the whole company) and a period
 * ({@code 2026-03}, {@code 2026-W10} or {@code 2026-03-02}). {@code value} is null when nothing
 * was counted; {@code target} and {@code met} are null for KPIs that are only reported.
 * {@code breakdown} holds the counts of a report KPI (complaints per category), else null.
 */
public record Kpi(String kpi, String community, String period, Double value, long numerator, long denominator,
                  Double target, Boolean met, Map<String, Long> breakdown) {
}
