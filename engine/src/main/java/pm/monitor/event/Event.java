package pm.monitor.event;

import java.time.Instant;
import java.util.Map;

/**
 * One event of the contract (CONTRACT.md). Every event is a record of its own type; the
 * fields common to all are here. {@code extra} keeps the fields a sender added that this
 * version does not know yet: the contract says they are kept, not rejected.
 */
public sealed interface Event permits Events.CommunityRegistered, Events.BuildingRegistered,
        Events.TicketReceived, Events.TicketClassified, Events.TicketContacted, Events.TicketDispatched,
        Events.TicketArrived, Events.TicketResolved, Events.TicketReplied, Events.TicketProgress,
        Events.TicketFollowedUp, Events.TicketReopened, Events.TicketFlagged, Events.TicketEscalated,
        Events.TicketReported, Events.TicketClosed, Events.CallAnswered, Events.CallMissed,
        Events.PatrolCompleted, Events.PatrolIssueFound, Events.PatrolIssueResolved,
        Events.PatrolIssueVerified, Events.PatrolReviewed {

    String id();

    Instant at();

    String community();

    Map<String, Object> extra();

    /** The contract's {@code type} string, e.g. {@code ticket.received}. */
    default String type() {
        return EventTypes.typeOf(getClass());
    }

    /** Events about one ticket carry its id. */
    interface OfTicket {
        String ticket();
    }
}
