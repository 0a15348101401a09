package pm.monitor.rules;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kie.api.definition.rule.Rule;
import pm.monitor.calendar.Deadlines;
import pm.monitor.finding.Finding;
import pm.monitor.finding.FindingIds;

/**
 * What the rules of one community share while they fire: the community, its clock, its
 * parameters and deadline arithmetic, and the findings emitted so far in this step. The
 * clock is event time: the runtime sets {@link #now} from the events, never from the wall.
 */
public final class CommunityContext {
    private final String community;
    private Deadlines deadlines;
    private Params params;
    private String rulesVersion;
    Instant now = Instant.EPOCH;
    private final List<Finding> emitted = new ArrayList<>();
    /** Compiled once: String.split compiles this pattern on every call. */
    private static final java.util.regex.Pattern COMMA = java.util.regex.Pattern.compile("\\s*,\\s*");

    public CommunityContext(String community, Deadlines deadlines, Params params, String rulesVersion) {
        this.community = community;
        this.deadlines = deadlines;
        this.params = params;
        this.rulesVersion = rulesVersion;
    }

    public String community() {
        return community;
    }

    public Instant now() {
        return now;
    }

    public void now(Instant at) {
        this.now = at;
    }

    public Deadlines deadlines() {
        return deadlines;
    }

    public Params params() {
        return params;
    }

    public String rulesVersion() {
        return rulesVersion;
    }

    public ZoneId zone() {
        return deadlines.zone();
    }

    /** Building → its manager's staff id: who answers for a {@code buildingManager} duty ({@link Owner}). */
    private java.util.function.Function<String, String> managers = b -> null;

    public void managers(java.util.function.Function<String, String> managers) {
        this.managers = managers;
    }

    public java.util.function.Function<String, String> managers() {
        return managers;
    }

    /** A community's registration may change its zone or calendar. */
    public void deadlines(Deadlines d) {
        this.deadlines = d;
    }

    public void rules(Params params, String rulesVersion) {
        this.params = params;
        this.rulesVersion = rulesVersion;
    }

    /** Builds a finding of {@code rule} and queues it for the runtime to hand out. */
    Finding emit(Rule rule, String kind, String subject, Instant at, Instant dueAt, Map<String, Object> details) {
        Object also = rule.getMetaData().get("alsoNotify");
        if (also != null) {
            details.put("alsoNotify", List.of(COMMA.split(also.toString())));
        }
        return emit(meta(rule, "id"), meta(rule, "clause"), meta(rule, "notify"), kind, subject, at, dueAt, details);
    }

    /** Builds a finding and queues it; null, and nothing queued, when the rule is switched off here. */
    Finding emit(String ruleId, String clause, String notify, String kind, String subject, Instant at, Instant dueAt,
                 Map<String, Object> details) {
        if (!params.enabled(ruleId)) {
            return null;
        }
        // A reopened ticket's cycle has a deadline of its own even when it falls due at the same
        // instant as the first (working-day limits end at midnight): its cycle tells them apart,
        // or the second violation would share the first's id and be taken for it when stored.
        Object cycle = details.get("cycle");
        String key = cycle instanceof Number n && n.intValue() > 0 ? subject + "#" + n.intValue() : subject;
        String id = FindingIds.of(ruleId, community, key, dueAt != null ? dueAt : at, kind);
        Finding f = new Finding(id, ruleId, kind, community, subject, at, dueAt, notify, clause, details,
                rulesVersion, zone());
        emitted.add(f);
        return f;
    }

    /** The findings emitted since the last call, in order. */
    public List<Finding> drain() {
        if (emitted.isEmpty()) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>(emitted);
        emitted.clear();
        return out;
    }

    static String meta(Rule rule, String key) {
        Object v = rule.getMetaData().get(key);
        if (v == null) {
            throw new IllegalStateException("rule \"" + rule.getName() + "\" has no @" + key + "(...)");
        }
        return v.toString();
    }
}
