package pm.monitor.alert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pm.monitor.event.Vocabulary;
import pm.monitor.report.Labels;

/**
 * The roles alerts go to ({@code @notify}), lowest first, with the names the staff use. The list
 * is the event vocabulary's and the Chinese names are {@link Labels}' (one table of names for the
 * dashboard, the reports and the alerts), so the two cannot drift apart.
 */
public final class Roles {
    private Roles() {
    }

    public static final List<String> ALL = Vocabulary.ROLE.all();

    /** role → its Chinese name */
    public static final Map<String, String> NAMES;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        for (String role : ALL) {
            m.put(role, Labels.role(role, Labels.ZH));
        }
        NAMES = java.util.Collections.unmodifiableMap(m);
    }

    public static boolean known(String role) {
        return NAMES.containsKey(role);
    }

    public static String name(String role) {
        return NAMES.getOrDefault(role, role);
    }
}
