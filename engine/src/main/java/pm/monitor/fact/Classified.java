package pm.monitor.fact;

import java.time.Instant;
import pm.monitor.event.Events.TicketClassified;

/** A ticket event as the rules see it, with its ticket: its classification changed; {@code previousValidity} and {@code previousIncident} are what they were. */
public record Classified(TicketClassified event, Ticket ticket, String previousValidity, String previousIncident) {
    public Instant at() {
        return event.at();
    }
}
