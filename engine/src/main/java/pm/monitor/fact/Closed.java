package pm.monitor.fact;

import java.time.Instant;
import pm.monitor.event.Events.TicketClosed;

/** A ticket event as the rules see it, with its ticket: archived. */
public record Closed(TicketClosed event, Ticket ticket) {
    public Instant at() {
        return event.at();
    }
}
