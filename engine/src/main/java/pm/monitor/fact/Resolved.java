package pm.monitor.fact;

import java.time.Instant;
import pm.monitor.event.Events.TicketResolved;

/** A ticket event as the rules see it, with its ticket: the work is done. */
public record Resolved(TicketResolved event, Ticket ticket) {
    public Instant at() {
        return event.at();
    }
}
