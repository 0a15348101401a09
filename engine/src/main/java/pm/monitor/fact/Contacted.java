package pm.monitor.fact;

import java.time.Instant;
import pm.monitor.event.Events.TicketContacted;

/** A ticket event as the rules see it, with its ticket: the handler contacted the owner; {@code first} in this cycle or not. */
public record Contacted(TicketContacted event, Ticket ticket, boolean first) {
    public Instant at() {
        return event.at();
    }
}
