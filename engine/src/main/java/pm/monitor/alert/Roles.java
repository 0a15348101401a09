package pm.monitor.alert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The roles of HANDBOOK-RULES.md, lowest first, with the names the staff use. */
public final class Roles {
    private Roles() {
    }

    public static final Map<String, String> NAMES;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("assistant", "客服助理");
        m.put("building_manager", "楼管员");
        m.put("supervisor", "客服主管");
        m.put("centre_manager", "服务中心经理");
        m.put("project_manager", "项目经理");
        m.put("general_manager", "公司总经理");
        m.put("quality", "品质部");
        m.put("developer_cs", "地产公司客户服务中心");
        m.put("engineering", "工程部");
        NAMES = java.util.Collections.unmodifiableMap(m);
    }

    public static final List<String> ALL = List.copyOf(NAMES.keySet());

    public static boolean known(String role) {
        return NAMES.containsKey(role);
    }

    public static String name(String role) {
        return NAMES.getOrDefault(role, role);
    }
}
