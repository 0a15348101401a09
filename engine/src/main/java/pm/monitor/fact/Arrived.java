package pm.monitor.fact;

import java.time.Instant;
import pm.monitor.event.Events.TicketArrived;

/** A ticket event as the rules see it, with its ticket: the technician is on site. */
public record Arrived(TicketArrived event, Ticket ticket) {
    public Instant at() {
        return event.at();
    }
}
