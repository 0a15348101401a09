package pm.monitor.event;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The closed value sets of the contract. Parsing maps every accepted value to the one
 * canonical String instance held here, so rules compare interned constants and a million
 * tickets do not hold a million copies of "complaint".
 */
public final class Vocabulary {
    private Vocabulary() {
    }

    public static final Values KIND = new Values("complaint", "repair", "inquiry", "help");
    public static final Values CHANNEL = new Values("phone", "visit", "verbal", "written", "email", "app", "patrol",
            "developer");
    public static final Values CATEGORY = new Values("housing", "equipment", "security", "environment", "service",
            "dispute", "developer", "other");
    public static final Values VALIDITY = new Values("valid", "assist", "invalid");
    public static final Values URGENCY = new Values("emergency", "special", "normal");
    /** {@code email} counts as a reply in writing (CODE 4.8.1; BJ 投诉规程 五.4 书面或邮件). */
    public static final Values REPLY_METHOD = new Values("phone", "visit", "written", "in_person", "email");
    /** Where a repair is done: inside a home (入户, BJ 报修规程 四.4) or in common areas. */
    public static final Values LOCATION = new Values("home", "public");
    public static final Values FLAG = new Values("lawsuit", "media");
    public static final Values ROLE = new Values("assistant", "building_manager", "supervisor", "centre_manager",
            "project_manager", "general_manager", "quality", "developer_cs", "engineering");
    public static final Values PATROL_KIND = new Values("building", "environment");
    public static final Values SEVERITY = new Values("normal", "emergency");

    /** A closed set of strings with their canonical instances, in the contract's order. */
    public static final class Values {
        private final Map<String, String> canonical = new LinkedHashMap<>();

        Values(String... values) {
            for (String v : values) {
                canonical.put(v, v);
            }
        }

        /** The canonical instance of {@code value}, or null when it is not in the set. */
        public String canonical(String value) {
            return canonical.get(value);
        }

        public boolean contains(String value) {
            return canonical.containsKey(value);
        }

        public List<String> all() {
            return List.copyOf(canonical.keySet());
        }

        @Override
        public String toString() {
            return String.join(", ", canonical.keySet());
        }
    }
}
