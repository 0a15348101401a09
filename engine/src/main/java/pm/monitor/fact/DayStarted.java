package pm.monitor.fact;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * 00:00 local time of a new day in a community: the start of the daily duties no event
 * triggers (patrols). {@code communityFirstDay} is the first whole day after the community
 * registered, or null while it has not.
 */
public record DayStarted(LocalDate date, Instant at, List<Building> buildings, LocalDate communityFirstDay) {
}
