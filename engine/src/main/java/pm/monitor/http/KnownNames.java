package pm.monitor.http;

import java.util.Set;
import java.util.function.Supplier;
import pm.monitor.event.CommunityCodes;

/**
 * What a silence or a roster entry may name (issue 19.7): the loaded rules' ids and the
 * communities the monitor has seen. A name that matches nothing is refused, not kept silently.
 */
final class KnownNames {
    private final Supplier<Set<String>> ruleIds;
    private final Supplier<Set<String>> communities;

    KnownNames(Supplier<Set<String>> ruleIds, Supplier<Set<String>> communities) {
        this.ruleIds = ruleIds;
        this.communities = communities;
    }

    /** Why a silence's rule matches nothing (a misspelt id silences nothing, silently), or null. */
    String ruleProblem(String rule) {
        if (rule == null || rule.isBlank() || rule.equals("*")) {
            return null;
        }
        Set<String> ids = ruleIds.get();
        boolean matches = rule.endsWith("*") ? ids.stream().anyMatch(id -> id.startsWith(rule.substring(0, rule.length() - 1)))
                : ids.contains(rule);
        return matches ? null : "规则“" + rule + "”不对应任何已加载的规则（* 表示全部，complaint.* 表示前缀） / rule: \"" + rule
                + "\" matches no loaded rule (e.g. " + String.join(", ",
                ids.stream().sorted().limit(3).toList()) + "; * for any, complaint.* for a prefix)";
    }

    /**
     * Why a community code names no community the monitor knows, or null ("*" is every community).
     * Before the first event the monitor knows none, and a roster may be set up ahead of them.
     */
    String communityProblem(String community) {
        if (community == null || community.equals(CommunityCodes.ALL)) {
            return null;
        }
        Set<String> known = communities.get();
        return known.isEmpty() || known.contains(community) ? null
                : "社区 " + community + " 不是本系统已知的社区 / community: " + community + " is not a community the monitor knows ("
                        + String.join(", ", known.stream().sorted().limit(5).toList()) + (known.size() > 5 ? ", …" : "") + ")";
    }
}
