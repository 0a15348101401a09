package pm.monitor.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.finding.Finding;
import pm.monitor.support.TestDatabase;

/** Findings stored under their id: a batch that names an id twice must not fail for good. */
class FindingStoreTest {
    private static Finding finding(String id, String at) {
        return new Finding(id, "complaint.written-reply-2wd", "violation", "C1", "T1", Instant.parse(at),
                Instant.parse("2026-03-10T16:00:00Z"), "supervisor", "CODE 4.8.1", Map.of("ticket", "T1"), "v1",
                ZoneId.of("Asia/Shanghai"));
    }

    @Test
    @DisplayName("a finding PostgreSQL refuses for good is left out (logged); the rest of its batch is stored and published")
    void refusedFindingDoesNotHoldTheWriter() throws Exception {
        try (Database db = Database.connect(TestDatabase.freshSchemaUrl(), null, null)) {
            Migrations.apply(db.dsl(), TestDatabase.migrations());
            FindingStore store = new FindingStore(db.dsl());
            List<Finding> published = new java.util.concurrent.CopyOnWriteArrayList<>();
            Finding good = finding("g1", "2026-03-07T04:40:00Z");
            // jsonb cannot hold U+0000 (SQLSTATE 22P05): refused whatever the retry
            Finding bad = new Finding("b1", "complaint.written-reply-2wd", "violation", "C1", "T2",
                    Instant.parse("2026-03-07T04:41:00Z"), null, "supervisor", "CODE 4.8.1", Map.of("note", "a\u0000b"),
                    "v1", ZoneId.of("Asia/Shanghai"));
            Finding later = finding("g2", "2026-03-07T04:42:00Z");
            try (FindingWriter writer = new FindingWriter(store, published::addAll)) {
                writer.accept(List.of(good, bad, later));
                // before: the writer retried the batch for ever and this timed out
                assertEquals(true, writer.flush(15_000), "the writer went on");
                writer.accept(List.of(finding("g3", "2026-03-07T04:43:00Z")));
                assertEquals(true, writer.flush(15_000));
            }
            assertEquals(List.of("g1", "g2", "g3"), published.stream().map(Finding::id).toList());
            assertEquals(3, store.count());
        }
    }

    @Test
    @DisplayName("an id twice in one batch: stored once (the first), the batch not refused; again later: not new")
    void sameIdTwiceInOneBatch() {
        try (Database db = Database.connect(TestDatabase.freshSchemaUrl(), null, null)) {
            Migrations.apply(db.dsl(), TestDatabase.migrations());
            FindingStore store = new FindingStore(db.dsl());
            Finding first = finding("f1", "2026-03-07T04:40:00Z");
            Finding again = finding("f1", "2026-03-08T00:20:00Z");
            Finding other = finding("f2", "2026-03-08T00:20:00Z");
            // Before: PostgreSQL refused the whole statement ("ON CONFLICT DO UPDATE command cannot
            // affect row a second time") and the finding writer retried it for ever.
            List<Finding> fresh = store.insert(List.of(first, again, other));
            assertEquals(List.of(first, other), fresh);
            assertEquals(2, store.count());
            java.time.OffsetDateTime at = store.dsl().select(pm.monitor.store.schema.Tables.FINDINGS.AT)
                    .from(pm.monitor.store.schema.Tables.FINDINGS)
                    .where(pm.monitor.store.schema.Tables.FINDINGS.ID.eq("f1")).fetchOne().value1();
            assertEquals(Instant.parse("2026-03-07T04:40:00Z"), at.toInstant(), "the first stands");
            assertEquals(List.of(), store.insert(List.of(again, again)));
        }
    }
}
