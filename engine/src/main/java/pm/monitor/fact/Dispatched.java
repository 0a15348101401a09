package pm.monitor.fact;

import java.time.Instant;
import pm.monitor.event.Events.TicketDispatched;

/** A ticket event as the rules see it, with its ticket: a work order went out (派单); {@code first} or not. */
public record Dispatched(TicketDispatched event, Ticket ticket, boolean first) {
    public Instant at() {
        return event.at();
    }
}
