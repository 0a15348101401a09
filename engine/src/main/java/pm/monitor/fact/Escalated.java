package pm.monitor.fact;

import java.time.Instant;
import pm.monitor.event.Events.TicketEscalated;

/** A ticket event as the rules see it, with its ticket: staff escalated it by hand. */
public record Escalated(TicketEscalated event, Ticket ticket) {
    public Instant at() {
        return event.at();
    }
}
