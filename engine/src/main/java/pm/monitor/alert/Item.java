package pm.monitor.alert;

import java.time.Instant;
import java.util.Map;

/** One finding as routed to one role; {@code finding} is its contract JSON. */
public record Item(String findingId, String role, String alertId, String community, String rule, String kind,
                   String subject, String ticket, Instant at, Map<String, Object> finding, String foldedUnder) {
}
