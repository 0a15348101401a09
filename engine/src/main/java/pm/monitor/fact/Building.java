package pm.monitor.fact;

import java.time.LocalDate;

/**
 * A registered building, patrolled daily from {@code firstDay}: the first whole day after it was
 * registered (BJ 楼管员巡查 三.3).
 */
public record Building(String id, String manager, LocalDate firstDay) {
}
