package pm.monitor.fact;

import java.time.Instant;
import pm.monitor.event.Events.TicketProgress;

/** A ticket event as the rules see it, with its ticket: the owner was told of progress. */
public record Progress(TicketProgress event, Ticket ticket) {
    public Instant at() {
        return event.at();
    }
}
