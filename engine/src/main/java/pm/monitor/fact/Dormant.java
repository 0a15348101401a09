package pm.monitor.fact;

import java.time.Duration;
import java.time.Instant;

/**
 * An open ticket with no event for {@code after} (the parameter {@code ticket.dormant-after})
 * and no duty still open, about to leave memory at the day start {@code at} (issue 17.16). The
 * rules say it with a finding; an event for it later brings it back from the store.
 */
public record Dormant(Ticket ticket, Instant lastEventAt, Instant at, Duration after) {
}
