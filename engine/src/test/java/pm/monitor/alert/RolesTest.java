package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.event.Vocabulary;
import pm.monitor.report.Labels;

/** The alerts' role names are the dashboard's and reports' (issue 18: one place for names). */
class RolesTest {

    @Test
    @DisplayName("Every role an alert can go to has the same Chinese name in alerts as on the dashboard and in reports")
    void oneNamePerRole() {
        assertEquals(Vocabulary.ROLE.all(), Roles.ALL);
        for (String role : Roles.ALL) {
            assertEquals(Labels.role(role, Labels.ZH), Roles.name(role), role);
        }
        assertEquals("地产公司客户服务中心", Roles.name("developer_cs"), "the catalog's name (HANDBOOK-RULES.md, Roles)");
    }
}
