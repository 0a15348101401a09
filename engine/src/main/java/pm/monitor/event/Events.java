package pm.monitor.event;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/** The contract's event types, one record each (field names as in CONTRACT.md). */
public final class Events {
    private Events() {
    }

    public record CommunityRegistered(String id, Instant at, String community, Map<String, Object> extra,
                                      String name, String timezone, String calendar) implements Event {
    }

    public record BuildingRegistered(String id, Instant at, String community, Map<String, Object> extra,
                                     String building, String manager) implements Event {
    }

    public record TicketReceived(String id, Instant at, String community, Map<String, Object> extra,
                                 String ticket, String kind, String channel, String household, String building,
                                 String category, String validity, String urgency, String incident, int persons,
                                 String receivedBy, Instant observedAt, String issue, String summary,
                                 String location)
            implements Event, Event.OfTicket {
    }

    /** Only the fields that changed are set; the others are null. */
    public record TicketClassified(String id, Instant at, String community, Map<String, Object> extra,
                                   String ticket, String validity, String category, String urgency, String incident)
            implements Event, Event.OfTicket {
    }

    public record TicketContacted(String id, Instant at, String community, Map<String, Object> extra,
                                  String ticket, String by, Instant replyBy, Instant arriveBy)
            implements Event, Event.OfTicket {
    }

    public record TicketDispatched(String id, Instant at, String community, Map<String, Object> extra,
                                   String ticket, String to) implements Event, Event.OfTicket {
    }

    public record TicketArrived(String id, Instant at, String community, Map<String, Object> extra,
                                String ticket, String by) implements Event, Event.OfTicket {
    }

    public record TicketResolved(String id, Instant at, String community, Map<String, Object> extra,
                                 String ticket, String by, boolean onSpot) implements Event, Event.OfTicket {
    }

    public record TicketReplied(String id, Instant at, String community, Map<String, Object> extra,
                                String ticket, String by, String method) implements Event, Event.OfTicket {
    }

    public record TicketProgress(String id, Instant at, String community, Map<String, Object> extra,
                                 String ticket, String by, String note) implements Event, Event.OfTicket {
    }

    /** {@code score} is 0 when not given (the contract's scores are 1–5). */
    public record TicketFollowedUp(String id, Instant at, String community, Map<String, Object> extra,
                                   String ticket, String by, String method, boolean satisfied, int score)
            implements Event, Event.OfTicket {
    }

    public record TicketReopened(String id, Instant at, String community, Map<String, Object> extra,
                                 String ticket, String reason) implements Event, Event.OfTicket {
    }

    public record TicketFlagged(String id, Instant at, String community, Map<String, Object> extra,
                                String ticket, String flag) implements Event, Event.OfTicket {
    }

    public record TicketEscalated(String id, Instant at, String community, Map<String, Object> extra,
                                  String ticket, String to) implements Event, Event.OfTicket {
    }

    public record TicketReported(String id, Instant at, String community, Map<String, Object> extra,
                                 String ticket, String to, boolean special) implements Event, Event.OfTicket {
    }

    public record TicketClosed(String id, Instant at, String community, Map<String, Object> extra,
                               String ticket, String by) implements Event, Event.OfTicket {
    }

    public record CallAnswered(String id, Instant at, String community, Map<String, Object> extra,
                               String call, String line, int rings) implements Event {
    }

    /** {@code rings}: how many times it rang before the caller gave up, or null when not known. */
    public record CallMissed(String id, Instant at, String community, Map<String, Object> extra,
                             String call, String line, Integer rings) implements Event {
    }

    public record PatrolCompleted(String id, Instant at, String community, Map<String, Object> extra,
                                  String patrol, String kind, String building, String by, Instant startedAt)
            implements Event {
    }

    public record PatrolIssueFound(String id, Instant at, String community, Map<String, Object> extra,
                                   String issue, String patrol, String building, String severity, String summary)
            implements Event {
    }

    public record PatrolIssueResolved(String id, Instant at, String community, Map<String, Object> extra,
                                      String issue, String by) implements Event {
    }

    public record PatrolIssueVerified(String id, Instant at, String community, Map<String, Object> extra,
                                      String issue, String by) implements Event {
    }

    public record PatrolReviewed(String id, Instant at, String community, Map<String, Object> extra,
                                 LocalDate date, String by) implements Event {
    }
}
