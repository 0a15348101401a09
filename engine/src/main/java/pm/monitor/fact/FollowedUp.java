package pm.monitor.fact;

import java.time.Instant;
import pm.monitor.event.Events.TicketFollowedUp;

/** A ticket event as the rules see it, with its ticket: follow-up visit or call (回访). */
public record FollowedUp(TicketFollowedUp event, Ticket ticket) {
    public Instant at() {
        return event.at();
    }
}
