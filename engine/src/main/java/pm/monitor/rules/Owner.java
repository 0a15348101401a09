package pm.monitor.rules;

import java.util.Set;
import java.util.function.Function;
import org.kie.api.definition.rule.Rule;
import pm.monitor.fact.Ticket;

/**
 * Who answers for a rule's duty, as the rule's {@code @owner("role: source")} says: the role,
 * and where the handbook names a person, the event field that names them (VK 首问责任: the first
 * person who takes a report answers for it). Sources:
 * <ul>
 * <li>{@code receivedBy}: the staff id that received the ticket;</li>
 * <li>{@code dispatchedTo}: the department or staff of the ticket's latest work order;</li>
 * <li>{@code buildingManager}: the manager of the ticket's building, or of the building of a
 * {@code building@YYYY-MM-DD} subject (building.registered {@code manager}).</li>
 * </ul>
 * A role alone ({@code @owner("supervisor")}) names no person: the duty counts for the role.
 */
public record Owner(String role, String source) {
    public static final Set<String> SOURCES = Set.of("receivedBy", "dispatchedTo", "buildingManager");
    /** Roles that own duties without being told of findings: the contract's roles are the others. */
    public static final Set<String> MORE_ROLES = Set.of("front_desk", "environment_specialist");

    /** Reads an {@code @owner} value; throws for an empty role or an unknown source. */
    public static Owner parse(String value) {
        int colon = value.indexOf(':');
        String role = (colon < 0 ? value : value.substring(0, colon)).trim();
        String source = colon < 0 ? null : value.substring(colon + 1).trim();
        if (role.isEmpty()) {
            throw new IllegalArgumentException("@owner(\"" + value + "\") names no role");
        }
        if (source != null && !SOURCES.contains(source)) {
            throw new IllegalArgumentException("@owner(\"" + value + "\"): unknown source " + source
                    + " (one of " + SOURCES + ")");
        }
        return new Owner(role, source);
    }

    /** The rule's owner, or null for a rule without {@code @owner}. */
    public static Owner of(Rule rule) {
        Object v = rule.getMetaData().get("owner");
        return v == null ? null : parse(v.toString());
    }

    /**
     * The staff id answering for a duty of this owner, or null when the rule names only a role or
     * the events have not named the person (yet).
     *
     * @param managers building → its manager's staff id
     */
    public String person(Ticket ticket, String subject, Function<String, String> managers) {
        if (source == null) {
            return null;
        }
        return switch (source) {
            case "receivedBy" -> ticket == null ? null : ticket.getReceivedBy();
            case "dispatchedTo" -> ticket == null ? null : ticket.getDispatchedTo();
            default -> {
                String building = ticket != null ? ticket.getBuilding()
                        : subject != null && subject.indexOf('@') > 0 ? subject.substring(0, subject.indexOf('@')) : null;
                yield building == null ? null : managers.apply(building);
            }
        };
    }
}
