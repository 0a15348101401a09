package pm.monitor.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.rules.RuleBook;
import pm.monitor.rules.RuleInfo;
import pm.monitor.support.Rules;

/** Which rule ids get a violations column in the monthly report is the rules' word, not a Java list (issue 18). */
class MonthlyReportColumnsTest {

    @Test
    @DisplayName("The ids that only raise alerts (@kind(\"alert\") on their @notify rules) and the KPIs get no violations column")
    void alertOnlyIdsFromTheRules(@TempDir Path dir) throws IOException {
        Set<String> all = new TreeSet<>();
        Rules.real().rules().stream().map(RuleInfo::id).forEach(all::add);
        Set<String> columns = MonthlyReport.violationColumns(Rules.real().rules());
        all.removeAll(columns);
        Set<String> none = new TreeSet<>(Set.of("complaint.collective", "complaint.repeat", "complaint.major",
                "ticket.open-escalation"));
        none.addAll(pm.monitor.kpi.KpiIds.ALL.stream().filter(all::contains).toList());
        assertEquals(none, all, "the shipped rules: the same ids as the list the report held before");
        assertTrue(columns.contains("complaint.collective-visit") && columns.contains("complaint.major-report"));

        // a new alert-only rule: no column, with no Java change
        Rules.copyWith(dir, Map.of());
        Files.writeString(dir.resolve("repairs/noisy.drl"), """
                package repairs_noisy;

                import pm.monitor.fact.*;
                import pm.monitor.rules.Findings;
                import function pm.monitor.rules.Findings.details;

                global Findings findings;

                rule "repair.noisy"
                    @id("repair.noisy") @clause("CODE 4.4.1") @notify("engineering") @owner("engineering") @kind("alert")
                when
                    Received( $t : ticket, ticket.repair )
                then
                    findings.alert(drools, $t, details("why", "example"));
                end
                """);
        Set<String> withNew = MonthlyReport.violationColumns(RuleBook.load(dir, Clock.systemUTC()).rules());
        assertFalse(withNew.contains("repair.noisy"), withNew.toString());
        assertEquals(columns, withNew);
    }
}
