package pm.monitor.fact;

import java.time.Instant;
import pm.monitor.event.Events.TicketReported;

/** A ticket event as the rules see it, with its ticket: a report went up. */
public record Reported(TicketReported event, Ticket ticket) {
    public Instant at() {
        return event.at();
    }
}
