package pm.monitor.fact;

import java.time.Instant;
import pm.monitor.event.Events.TicketFlagged;

/** A ticket event as the rules see it, with its ticket: the complaint went to court or the press. */
public record Flagged(TicketFlagged event, Ticket ticket) {
    public Instant at() {
        return event.at();
    }
}
