package pm.monitor.event;

import static pm.monitor.event.Vocabulary.CATEGORY;
import static pm.monitor.event.Vocabulary.CHANNEL;
import static pm.monitor.event.Vocabulary.FLAG;
import static pm.monitor.event.Vocabulary.KIND;
import static pm.monitor.event.Vocabulary.PATROL_KIND;
import static pm.monitor.event.Vocabulary.LOCATION;
import static pm.monitor.event.Vocabulary.REPLY_METHOD;
import static pm.monitor.event.Vocabulary.ROLE;
import static pm.monitor.event.Vocabulary.SEVERITY;
import static pm.monitor.event.Vocabulary.URGENCY;
import static pm.monitor.event.Vocabulary.VALIDITY;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pm.monitor.event.Events.*;

/**
 * The contract's table of event types: for each {@code type}, how its fields are read and
 * checked. Required-ness follows CONTRACT.md: the fields a rule cannot do without are
 * required; fields with a documented default take it; staff ids other than
 * {@code receivedBy} are optional because no rule depends on them.
 */
public final class EventTypes {
    private EventTypes() {
    }

    /** Reads the type-specific fields; the common ones are already read. */
    private interface Reader {
        Event read(String id, Instant at, String community, Fields f);
    }

    private static final Map<String, Object> NONE = Map.of();
    private static final Map<String, Reader> READERS = new LinkedHashMap<>();
    private static final Map<Class<?>, String> TYPES = new HashMap<>();

    private static void type(String type, Class<? extends Event> record, Reader reader) {
        READERS.put(type, reader);
        TYPES.put(record, type);
    }

    static {
        type("community.registered", CommunityRegistered.class, (id, at, c, f) -> {
            String zone = f.optionalString("timezone");
            if (zone == null) {
                zone = "Asia/Shanghai";
            } else {
                try {
                    ZoneId.of(zone);
                } catch (RuntimeException e) {
                    throw new EventException("timezone", "unknown time zone \"" + zone + "\" (e.g. Asia/Shanghai)");
                }
            }
            String calendar = f.optionalString("calendar");
            return new CommunityRegistered(id, at, c, NONE, f.text("name"), zone, calendar == null ? "cn" : calendar);
        });
        type("building.registered", BuildingRegistered.class, (id, at, c, f) ->
                new BuildingRegistered(id, at, c, NONE, f.requiredString("building"), f.optionalString("manager")));
        type("ticket.received", TicketReceived.class, (id, at, c, f) -> {
            String ticket = f.requiredString("ticket");
            String kind = f.requiredEnum("kind", KIND);
            boolean complaint = "complaint".equals(kind);
            String channel = f.requiredEnum("channel", CHANNEL);
            String household = f.optionalString("household");
            String building = f.optionalString("building");
            String category = complaint ? f.requiredEnum("category", CATEGORY) : f.optionalEnum("category", CATEGORY, null);
            String validity = complaint ? f.optionalEnum("validity", VALIDITY, "valid")
                    : f.optionalEnum("validity", VALIDITY, null);
            String urgency = "repair".equals(kind) ? f.optionalEnum("urgency", URGENCY, "normal")
                    : f.optionalEnum("urgency", URGENCY, null);
            String incident = f.optionalString("incident");
            int persons = f.integer("persons", 1, 1, 1_000_000);
            String receivedBy = f.requiredString("receivedBy");
            Instant observedAt = f.optionalInstant("observedAt");
            if (observedAt != null && observedAt.isAfter(at)) {
                throw new EventException("observedAt", "is after the ticket was received (" + at + ")");
            }
            String issue = f.optionalString("issue");
            String summary = f.text("summary");
            String location = f.optionalEnum("location", LOCATION, null);
            return new TicketReceived(id, at, c, NONE, ticket, kind, channel, household, building, category, validity,
                    urgency, incident, persons, receivedBy, observedAt, issue, summary, location);
        });
        type("ticket.classified", TicketClassified.class, (id, at, c, f) -> {
            String ticket = f.requiredString("ticket");
            String validity = f.optionalEnum("validity", VALIDITY, null);
            String category = f.optionalEnum("category", CATEGORY, null);
            String urgency = f.optionalEnum("urgency", URGENCY, null);
            String incident = f.optionalString("incident");
            if (validity == null && category == null && urgency == null && incident == null) {
                throw new EventException("validity", "a classification must change at least one of validity, "
                        + "category, urgency, incident");
            }
            return new TicketClassified(id, at, c, NONE, ticket, validity, category, urgency, incident);
        });
        type("ticket.contacted", TicketContacted.class, (id, at, c, f) -> {
            String ticket = f.requiredString("ticket");
            String by = f.optionalString("by");
            Instant replyBy = f.optionalInstant("replyBy");
            Instant arriveBy = f.optionalInstant("arriveBy");
            return new TicketContacted(id, at, c, NONE, ticket, by, replyBy, arriveBy);
        });
        type("ticket.dispatched", TicketDispatched.class, (id, at, c, f) ->
                new TicketDispatched(id, at, c, NONE, f.requiredString("ticket"), f.optionalString("to")));
        type("ticket.arrived", TicketArrived.class, (id, at, c, f) ->
                new TicketArrived(id, at, c, NONE, f.requiredString("ticket"), f.optionalString("by")));
        type("ticket.resolved", TicketResolved.class, (id, at, c, f) ->
                new TicketResolved(id, at, c, NONE, f.requiredString("ticket"), f.optionalString("by"),
                        f.bool("onSpot", false)));
        type("ticket.replied", TicketReplied.class, (id, at, c, f) ->
                new TicketReplied(id, at, c, NONE, f.requiredString("ticket"), f.optionalString("by"),
                        f.requiredEnum("method", REPLY_METHOD)));
        type("ticket.progress", TicketProgress.class, (id, at, c, f) ->
                new TicketProgress(id, at, c, NONE, f.requiredString("ticket"), f.optionalString("by"), f.text("note")));
        type("ticket.followed_up", TicketFollowedUp.class, (id, at, c, f) -> {
            String ticket = f.requiredString("ticket");
            String by = f.optionalString("by");
            String method = f.optionalString("method");
            boolean satisfied = f.requiredBool("satisfied");
            int score = f.integer("score", 0, 1, 5);
            return new TicketFollowedUp(id, at, c, NONE, ticket, by, method, satisfied, score);
        });
        type("ticket.reopened", TicketReopened.class, (id, at, c, f) ->
                new TicketReopened(id, at, c, NONE, f.requiredString("ticket"), f.text("reason")));
        type("ticket.flagged", TicketFlagged.class, (id, at, c, f) ->
                new TicketFlagged(id, at, c, NONE, f.requiredString("ticket"), f.requiredEnum("flag", FLAG)));
        type("ticket.escalated", TicketEscalated.class, (id, at, c, f) ->
                new TicketEscalated(id, at, c, NONE, f.requiredString("ticket"), f.requiredEnum("to", ROLE)));
        type("ticket.reported", TicketReported.class, (id, at, c, f) ->
                new TicketReported(id, at, c, NONE, f.requiredString("ticket"), f.requiredEnum("to", ROLE),
                        f.bool("special", false)));
        type("ticket.closed", TicketClosed.class, (id, at, c, f) ->
                new TicketClosed(id, at, c, NONE, f.requiredString("ticket"), f.optionalString("by")));
        type("call.answered", CallAnswered.class, (id, at, c, f) ->
                new CallAnswered(id, at, c, NONE, f.requiredString("call"), f.optionalString("line"),
                        f.requiredInteger("rings", 0, 1000)));
        type("call.missed", CallMissed.class, (id, at, c, f) ->
                new CallMissed(id, at, c, NONE, f.requiredString("call"), f.optionalString("line"),
                        f.has("rings") ? f.requiredInteger("rings", 0, 1000) : null));
        type("patrol.completed", PatrolCompleted.class, (id, at, c, f) -> {
            String patrol = f.requiredString("patrol");
            String kind = f.requiredEnum("kind", PATROL_KIND);
            String building = "building".equals(kind) ? f.requiredString("building") : f.optionalString("building");
            String by = f.optionalString("by");
            Instant startedAt = f.optionalInstant("startedAt");
            if (startedAt != null && startedAt.isAfter(at)) {
                throw new EventException("startedAt", "is after the patrol completed (" + at + ")");
            }
            return new PatrolCompleted(id, at, c, NONE, patrol, kind, building, by, startedAt);
        });
        type("patrol.issue_found", PatrolIssueFound.class, (id, at, c, f) ->
                new PatrolIssueFound(id, at, c, NONE, f.requiredString("issue"), f.optionalString("patrol"),
                        f.optionalString("building"), f.optionalEnum("severity", SEVERITY, "normal"), f.text("summary")));
        type("patrol.issue_resolved", PatrolIssueResolved.class, (id, at, c, f) ->
                new PatrolIssueResolved(id, at, c, NONE, f.requiredString("issue"), f.optionalString("by")));
        type("patrol.issue_verified", PatrolIssueVerified.class, (id, at, c, f) ->
                new PatrolIssueVerified(id, at, c, NONE, f.requiredString("issue"), f.optionalString("by")));
        type("patrol.reviewed", PatrolReviewed.class, (id, at, c, f) ->
                new PatrolReviewed(id, at, c, NONE, f.requiredDate("date"), f.optionalString("by")));
    }

    public static List<String> all() {
        return List.copyOf(READERS.keySet());
    }

    public static boolean known(String type) {
        return READERS.containsKey(type);
    }

    static String typeOf(Class<?> record) {
        return TYPES.get(record);
    }

    /** Builds the typed record from the fields of one event, or throws naming the bad field. */
    static Event read(String type, String id, Instant at, String community, Fields f) {
        Reader reader = READERS.get(type);
        if (reader == null) {
            throw new EventException("type", "unknown event type \"" + type + "\" (one of " + String.join(", ",
                    READERS.keySet()) + ")");
        }
        Event e = reader.read(id, at, community, f);
        Map<String, Object> extra = f.rest();
        return extra.isEmpty() ? e : withExtra(e, extra);
    }

    /** Records are immutable; the rare event with unknown fields is rebuilt with them. */
    private static Event withExtra(Event e, Map<String, Object> x) {
        if (e instanceof CommunityRegistered r) {
            return new CommunityRegistered(r.id(), r.at(), r.community(), x, r.name(), r.timezone(), r.calendar());
        }
        if (e instanceof BuildingRegistered r) {
            return new BuildingRegistered(r.id(), r.at(), r.community(), x, r.building(), r.manager());
        }
        if (e instanceof TicketReceived r) {
            return new TicketReceived(r.id(), r.at(), r.community(), x, r.ticket(), r.kind(), r.channel(),
                    r.household(), r.building(), r.category(), r.validity(), r.urgency(), r.incident(), r.persons(),
                    r.receivedBy(), r.observedAt(), r.issue(), r.summary(), r.location());
        }
        if (e instanceof TicketClassified r) {
            return new TicketClassified(r.id(), r.at(), r.community(), x, r.ticket(), r.validity(),
                    r.category(), r.urgency(), r.incident());
        }
        if (e instanceof TicketContacted r) {
            return new TicketContacted(r.id(), r.at(), r.community(), x, r.ticket(), r.by(), r.replyBy(), r.arriveBy());
        }
        if (e instanceof TicketDispatched r) {
            return new TicketDispatched(r.id(), r.at(), r.community(), x, r.ticket(), r.to());
        }
        if (e instanceof TicketArrived r) {
            return new TicketArrived(r.id(), r.at(), r.community(), x, r.ticket(), r.by());
        }
        if (e instanceof TicketResolved r) {
            return new TicketResolved(r.id(), r.at(), r.community(), x, r.ticket(), r.by(), r.onSpot());
        }
        if (e instanceof TicketReplied r) {
            return new TicketReplied(r.id(), r.at(), r.community(), x, r.ticket(), r.by(), r.method());
        }
        if (e instanceof TicketProgress r) {
            return new TicketProgress(r.id(), r.at(), r.community(), x, r.ticket(), r.by(), r.note());
        }
        if (e instanceof TicketFollowedUp r) {
            return new TicketFollowedUp(r.id(), r.at(), r.community(), x, r.ticket(), r.by(), r.method(),
                    r.satisfied(), r.score());
        }
        if (e instanceof TicketReopened r) {
            return new TicketReopened(r.id(), r.at(), r.community(), x, r.ticket(), r.reason());
        }
        if (e instanceof TicketFlagged r) {
            return new TicketFlagged(r.id(), r.at(), r.community(), x, r.ticket(), r.flag());
        }
        if (e instanceof TicketEscalated r) {
            return new TicketEscalated(r.id(), r.at(), r.community(), x, r.ticket(), r.to());
        }
        if (e instanceof TicketReported r) {
            return new TicketReported(r.id(), r.at(), r.community(), x, r.ticket(), r.to(), r.special());
        }
        if (e instanceof TicketClosed r) {
            return new TicketClosed(r.id(), r.at(), r.community(), x, r.ticket(), r.by());
        }
        if (e instanceof CallAnswered r) {
            return new CallAnswered(r.id(), r.at(), r.community(), x, r.call(), r.line(), r.rings());
        }
        if (e instanceof CallMissed r) {
            return new CallMissed(r.id(), r.at(), r.community(), x, r.call(), r.line(), r.rings());
        }
        if (e instanceof PatrolCompleted r) {
            return new PatrolCompleted(r.id(), r.at(), r.community(), x, r.patrol(), r.kind(), r.building(),
                    r.by(), r.startedAt());
        }
        if (e instanceof PatrolIssueFound r) {
            return new PatrolIssueFound(r.id(), r.at(), r.community(), x, r.issue(), r.patrol(),
                    r.building(), r.severity(), r.summary());
        }
        if (e instanceof PatrolIssueResolved r) {
            return new PatrolIssueResolved(r.id(), r.at(), r.community(), x, r.issue(), r.by());
        }
        if (e instanceof PatrolIssueVerified r) {
            return new PatrolIssueVerified(r.id(), r.at(), r.community(), x, r.issue(), r.by());
        }
        if (e instanceof PatrolReviewed r) {
            return new PatrolReviewed(r.id(), r.at(), r.community(), x, r.date(), r.by());
        }
        throw new IllegalStateException("no copy for " + e.getClass());
    }
}
