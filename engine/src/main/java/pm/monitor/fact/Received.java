package pm.monitor.fact;

import java.time.Instant;
import pm.monitor.event.Events.TicketReceived;

/** A ticket event as the rules see it, with its ticket: the front desk recorded the ticket (报事受理). */
public record Received(TicketReceived event, Ticket ticket) {
    public Instant at() {
        return event.at();
    }
}
