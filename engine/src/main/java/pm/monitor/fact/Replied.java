package pm.monitor.fact;

import java.time.Instant;
import pm.monitor.event.Events.TicketReplied;

/** A ticket event as the rules see it, with its ticket: the owner got the answer. */
public record Replied(TicketReplied event, Ticket ticket) {
    public Instant at() {
        return event.at();
    }
}
