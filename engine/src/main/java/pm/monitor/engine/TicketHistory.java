package pm.monitor.engine;

import java.util.List;
import pm.monitor.event.Event;

/**
 * Where a ticket that left memory untouched is brought back from (issue 17.16): its events as
 * they were taken — the event store in {@code serve}, the input in {@code replay}.
 */
public interface TicketHistory {
    /** The ticket's events in the order its community took them (those refused left out, or refused again). */
    List<Event> eventsOf(String community, String ticket);
}
