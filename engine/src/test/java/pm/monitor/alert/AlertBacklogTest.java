package pm.monitor.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static pm.monitor.store.schema.Tables.ALERT_ITEMS;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Finding;
import pm.monitor.store.Database;
import pm.monitor.store.FindingStore;
import pm.monitor.store.Migrations;
import pm.monitor.support.TestDatabase;

/**
 * The router's inbox is bounded: findings that come while it is full stay in PostgreSQL and are
 * read back in storage order, so a backlog costs no heap and nothing is lost or routed twice.
 */
class AlertBacklogTest {

    private static Finding finding(int i) {
        Instant at = Instant.parse("2026-03-02T03:00:00Z").plusSeconds(60L * i);
        return new Finding(String.format("f%03d", i), "complaint.contact-2h", i % 5 == 0 ? "kpi" : "violation", "C001",
                "T" + i, at, at, "supervisor", "CODE 4.4.1", Map.of("ticket", "T" + i), "v1", ZoneId.of("Asia/Shanghai"));
    }

    @Test
    @DisplayName("with room for 3, 40 findings routed in batches of 4 all reach their alerts exactly once; unrouted kinds are skipped")
    void backlogIsReadBackFromTheStore() {
        try (Database db = Database.connect(TestDatabase.freshSchemaUrl(), null, null)) {
            Migrations.apply(db.dsl(), TestDatabase.migrations());
            FindingStore store = new FindingStore(db.dsl());
            AlertService alerts = new AlertService(db.dsl(), Clock.systemUTC(), null, m -> { }, 3);
            List<Finding> all = new ArrayList<>();
            for (int batch = 0; batch < 10; batch++) {
                List<Finding> fresh = new ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    fresh.add(finding(batch * 4 + k));
                }
                store.insert(fresh);
                alerts.route(fresh); // as the finding writer does, after its commit
                all.addAll(fresh);
                if (batch == 4) {
                    alerts.tick(Instant.parse("2026-03-02T04:00:00Z")); // routing while the backlog grows
                }
            }
            // the service ticks every few seconds; each tick reads back a few pages of the backlog
            for (int t = 0; t < 20; t++) {
                alerts.tick(Instant.parse("2026-03-02T05:00:00Z"));
            }
            long routable = all.stream().filter(f -> !f.kind().equals("kpi")).count();
            List<String> routed = db.dsl().select(ALERT_ITEMS.FINDING_ID).from(ALERT_ITEMS).orderBy(ALERT_ITEMS.FINDING_ID)
                    .fetch(ALERT_ITEMS.FINDING_ID);
            assertEquals(all.stream().filter(f -> !f.kind().equals("kpi")).map(Finding::id).sorted().toList(), routed,
                    "every routable finding once (" + routable + "), none of the kinds not routed");
            alerts.close();
        }
    }
}
