package pm.monitor.fact;

import java.time.Instant;

/**
 * A handling cycle of a ticket began: when it was received (cycle 0) and again at each
 * reopening. Duties that "apply again from the reopening" start from this fact.
 */
public record CycleStarted(Ticket ticket, Instant at, int cycle, String startedBy) {
}
