package pm.monitor.fact;

import java.time.Instant;

/** A complaint became part of an incident (received with its key, or classified into it). */
public record IncidentJoined(Ticket ticket, Incident incident, Instant at) {
}
