package pm.monitor.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.event.Events.TicketReceived;

/**
 * The two real 311 logs in import/data with their mappings. The expected numbers were counted
 * in the files themselves, outside the importer (import/README.md says how).
 */
class CityLogsImportTest {
    static final Path SF = Path.of("import/data/sf311_service_requests.csv");
    static final Path BALTIMORE = Path.of("import/data/baltimore311_sample.csv");

    /** The 17 SF requests whose closed_date is before their created_date, with their row in the file. */
    static final Map<String, Integer> SF_CLOSED_BEFORE_OPEN = Map.ofEntries(Map.entry("3921573", 6557),
            Map.entry("4256084", 6558), Map.entry("8079739", 6786), Map.entry("4269994", 6839),
            Map.entry("4264184", 6880), Map.entry("8187465", 7087), Map.entry("4295239", 7748),
            Map.entry("3955228", 7915), Map.entry("3654572", 7923), Map.entry("4298152", 8150),
            Map.entry("4144214", 8280), Map.entry("4318138", 8372), Map.entry("4264164", 8540),
            Map.entry("4264718", 8641), Map.entry("4306051", 8657), Map.entry("4264217", 8678),
            Map.entry("4292524", 8768));

    @Test
    @DisplayName("SF 311: every row is read, the 17 closed before opened and the 120 marked duplicate are reported by row and skipped")
    void sanFrancisco() throws Exception {
        Imported r = Imported.run(SF, Mapping.load(Path.of("import/sf311.mapping")));
        Importer.Summary s = r.summary();

        assertEquals(10_000, s.rowsRead());
        assertEquals(Map.of("closed before received", 17, "duplicate", 120), s.skipped());
        assertEquals(9_863, s.rowsImported());
        assertEquals(s.rowsRead(), s.rowsImported() + s.rowsSkipped());
        assertEquals(s.rowsSkipped(), r.skipped().size(), "each skipped row is reported once");

        Map<String, Integer> closedEarly = r.skipped("closed before received").stream()
                .collect(Collectors.toMap(k -> ticketOf(k.detail()), Importer.Skipped::row));
        assertEquals(SF_CLOSED_BEFORE_OPEN, closedEarly);
        // A quoted note spans lines above it: the report gives the line as well as the row.
        Importer.Skipped first = r.skipped("closed before received").get(0);
        assertEquals("row 6557 (line 7058)", first.where());
        assertTrue(first.detail().contains("closed_date 2014-08-16T02:00:00-07:00 is before created_date "
                + "2014-08-16T09:45:26-07:00"), first.detail());

        // 9,630 rows have a closed_date; 137 of those are skipped rows (17 + the 120 duplicates, all closed).
        assertEquals(Map.of("community.registered", 1, "ticket.received", 9_863, "ticket.resolved", 9_493,
                "ticket.closed", 9_493), s.eventsByType());
        assertEquals(s.eventsWritten(), r.events().size());
        assertEquals(r.events().size(), r.events().stream().map(e -> e.id()).distinct().count(), "ids are unique");

        // +00:00 is read as text: the time is Pacific local time, as the log's daily rhythm shows.
        Map<String, Object> row2 = r.event("SF311:6078653:received");
        assertEquals("2016-07-13T15:11:07-07:00", row2.get("at"));
        assertEquals("repair", row2.get("kind"));
        assertEquals("app", row2.get("channel"));
        Map<String, Object> assist = r.event("SF311:240769:received");
        assertEquals("complaint", assist.get("kind"));
        assertEquals("assist", assist.get("validity"));
    }

    @Test
    @DisplayName("Baltimore 311: every row is read, the 217 the city marked (Duplicate) are reported by row and skipped")
    void baltimore() throws Exception {
        Imported r = Imported.run(BALTIMORE, Mapping.load(Path.of("import/baltimore311.mapping")));
        Importer.Summary s = r.summary();

        assertEquals(10_000, s.rowsRead());
        assertEquals(Map.of("duplicate", 217), s.skipped());
        assertEquals(9_783, s.rowsImported());
        assertEquals(217, r.skipped().size());
        assertEquals("row 79: duplicate (ticket 14-00733432, status \"Closed (Duplicate)\")",
                r.skipped().get(0).toString());
        assertEquals(Map.of("community.registered", 1, "ticket.received", 9_783, "ticket.resolved", 9_585,
                "ticket.closed", 9_585), s.eventsByType());

        // MM/dd/yyyy hh:mm:ss a, Eastern time (EDT in April).
        Map<String, Object> first = r.event("BAL311:18-00269879:received");
        assertEquals("2018-04-12T11:11:26-04:00", first.get("at"));
        assertEquals("repair", first.get("kind"));
        // The address before its first comma is the household; City Hall's placeholder is none.
        assertEquals("3400 GARRISON BLVD", first.get("household"));
        assertTrue(r.events().stream().filter(e -> e instanceof TicketReceived).map(e -> ((TicketReceived) e).household())
                .noneMatch(h -> "200 HOLLIDAY ST".equals(h) || "200 N HOLLIDAY ST".equals(h)));

        // The SR types no pattern knew are counted, not lost: they took the default kind.
        Map<String, Integer> kinds = s.unmapped().get("kind");
        assertEquals(9, kinds.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(3, kinds.get("DPW-MD Stormwater Participation Event"));
        assertEquals(Map.of("Other", 10), s.unmapped().get("channel"));
    }

    @Test
    @DisplayName("a complaint's incident key is its street block, category and day, so neighbours' complaints meet")
    void incidentKeys() throws Exception {
        Imported r = Imported.run(BALTIMORE, Mapping.load(Path.of("import/baltimore311.mapping")));
        Set<String> keys = new TreeSet<>();
        for (var e : r.events()) {
            if (e instanceof TicketReceived t && t.incident() != null) {
                keys.add(t.incident());
                assertEquals("complaint", t.kind());
                assertTrue(t.incident().startsWith(RowMapper.block(t.household()) + "|" + t.category() + "|"),
                        t.incident());
            }
        }
        assertTrue(keys.size() > 1000, "complaints with an address get incident keys: " + keys.size());
        assertEquals("3400 BLOCK GARRISON BLVD", RowMapper.block("3416 GARRISON BLVD"));
        assertEquals(null, RowMapper.block("INTERSECTION OF 1ST ST AND FOLSOM ST"));
    }

    @Test
    @DisplayName("importing the same export twice gives the same events, byte for byte")
    void idempotent() throws Exception {
        Mapping m = Mapping.load(Path.of("import/sf311.mapping"));
        assertEquals(Imported.run(SF, m).ndjson(), Imported.run(SF, Mapping.load(Path.of("import/sf311.mapping"))).ndjson());
    }

    private static String ticketOf(String detail) {
        return List.of(detail.split("[ ,]+")).get(1);
    }
}
