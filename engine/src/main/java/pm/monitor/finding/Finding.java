package pm.monitor.finding;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/**
 * One finding of a rule (CONTRACT.md "Findings"). {@code at} is the event time at which it was
 * found; for a missed deadline that is the deadline itself. {@code role} is the contract's
 * {@code notify}: the role it goes to. {@code zone} is the community's
 * time zone, in which its times are written.
 */
public record Finding(String id, String rule, String kind, String community, String subject, Instant at,
                      Instant dueAt, String role, String clause, Map<String, Object> details,
                      String rulesVersion, ZoneId zone) {

    public static final String VIOLATION = "violation";
    public static final String ALERT = "alert";
    public static final String WARNING = "warning";

    /** The ticket the finding is about, when its subject is a ticket (details.ticket), else null. */
    public String ticket() {
        Object t = details.get("ticket");
        return t instanceof String s ? s : null;
    }
}
