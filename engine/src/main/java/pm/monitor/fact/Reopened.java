package pm.monitor.fact;

import java.time.Instant;
import pm.monitor.event.Events.TicketReopened;

/** A ticket event as the rules see it, with its ticket: the owner was not satisfied; handling starts again. */
public record Reopened(TicketReopened event, Ticket ticket) {
    public Instant at() {
        return event.at();
    }
}
