package pm.monitor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pm.monitor.event.Event;
import pm.monitor.finding.Finding;
import pm.monitor.report.Labels;
import pm.monitor.rules.RuleBook;
import pm.monitor.support.Rules;

/**
 * Issue 17.16: open tickets lived in memory for ever. One untouched for ticket.dormant-after
 * (180 days) leaves memory at a day start with a ticket.dormant finding, and an event for it
 * later brings it back: the replay finds what it finds with the ticket kept all along, plus
 * that finding.
 */
public class DormantTicketTest {
    static final String APP = "\"kind\":\"complaint\",\"channel\":\"app\",\"household\":\"1-1-101\",\"category\":\"service\",\"receivedBy\":\"a1\"";
    static final String INQUIRY = "\"kind\":\"inquiry\",\"channel\":\"phone\",\"receivedBy\":\"a1\"";

    /**
     * T1, a complaint resolved and followed up on 2 March 2026 and never closed; a closed inquiry
     * every month to move the clock; on 8 October the owner of T1 says they are not satisfied
     * after all (a dissatisfied owner: told at once, and a violation if not reopened in 24 h).
     */
    public static List<String> events() {
        List<String> out = new ArrayList<>();
        int n = 0;
        out.add(line(++n, "ticket.received", "T1", "2026-03-02T09:00:00+08:00", APP));
        out.add(line(++n, "ticket.contacted", "T1", "2026-03-02T09:30:00+08:00", "\"by\":\"s1\""));
        out.add(line(++n, "ticket.resolved", "T1", "2026-03-02T11:00:00+08:00", "\"by\":\"s1\""));
        out.add(line(++n, "ticket.followed_up", "T1", "2026-03-02T15:00:00+08:00",
                "\"by\":\"s2\",\"method\":\"phone\",\"satisfied\":true"));
        for (int month = 4; month <= 10; month++) {
            String day = String.format("2026-%02d-01", month);
            String q = "Q" + month;
            out.add(line(++n, "ticket.received", q, day + "T09:00:00+08:00", INQUIRY));
            out.add(line(++n, "ticket.replied", q, day + "T09:10:00+08:00", "\"by\":\"a1\",\"method\":\"phone\""));
            out.add(line(++n, "ticket.closed", q, day + "T09:20:00+08:00", "\"by\":\"a1\""));
        }
        out.add(line(++n, "ticket.followed_up", "T1", "2026-10-08T10:00:00+08:00",
                "\"by\":\"s2\",\"method\":\"phone\",\"satisfied\":false"));
        return out;
    }

    public static final String UNTIL = "2026-10-10T00:00:00+08:00";

    private static String line(int n, String type, String ticket, String at, String fields) {
        return "{\"id\":\"d" + n + "\",\"type\":\"" + type + "\",\"at\":\"" + at + "\",\"community\":\"C001\",\"ticket\":\""
                + ticket + "\"," + fields + "}";
    }

    private static Replay.Result replay(pm.monitor.rules.RuleSet rules) throws Exception {
        Replay.Parsed parsed = Replay.read(new BufferedReader(new StringReader(String.join("\n", events()))), 1);
        assertEquals(List.of(), parsed.rejections());
        return new Replay(rules, 1).run(parsed.inputs(), OffsetDateTime.parse(UNTIL).toInstant(), null);
    }

    public static TreeSet<String> ids(List<Finding> fs) {
        return fs.stream().map(f -> f.rule() + " " + f.kind() + " " + f.subject() + " " + f.at())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    @DisplayName("replay: T1 leaves memory at the day start 180 days after its last event with a ticket.dormant warning, "
            + "comes back for the October follow-up, and is judged as if it had never left")
    void replayArchivesAndBringsBack(@TempDir Path tmp) throws Exception {
        Replay.Result kept = replay(RuleBook.load(Rules.copyWith(tmp, Map.of("ticket.dormant-after", "3650d")),
                Clock.systemUTC()));
        Replay.Result archived = replay(Rules.real());
        assertEquals(List.of(), archived.rejections(), "the October event found its ticket");

        List<Finding> dormant = archived.findings().stream().filter(f -> f.rule().equals("ticket.dormant")).toList();
        assertEquals(1, dormant.size(), "one ticket.dormant finding: " + ids(archived.findings()));
        Finding d = dormant.get(0);
        assertEquals("T1", d.subject());
        assertEquals("warning", d.kind());
        assertEquals("supervisor", d.role());
        // last event 2 March 15:00 + 180 days = 29 August 15:00: the next day start
        assertEquals(OffsetDateTime.parse("2026-08-30T00:00:00+08:00").toInstant(), d.at());
        assertTrue(String.valueOf(d.details().get("note")).contains("已归档") && String.valueOf(d.details().get("note"))
                .contains("archived"), d.details().toString());
        assertNotEquals("ticket.dormant", Labels.rule("ticket.dormant", Labels.ZH));
        assertNotEquals("ticket.dormant", Labels.rule("ticket.dormant", Labels.EN));

        // with the ticket kept all along the findings are the same, but for ticket.dormant
        List<Finding> others = archived.findings().stream().filter(f -> !f.rule().equals("ticket.dormant")).toList();
        assertEquals(ids(kept.findings()), ids(others));
        assertTrue(ids(others).contains("complaint.dissatisfied violation T1 "
                + OffsetDateTime.parse("2026-10-09T10:00:00+08:00").toInstant()), "judged after it came back: " + ids(others));
        assertNotNull(archived.engines().get("C001").tracker().ticket("T1"), "back in memory");
    }

    @Test
    @DisplayName("engine: between its day of leaving and its next event T1 is not in memory, only its id; its event brings it back")
    void outOfMemoryMeanwhile() throws Exception {
        List<Event> all = new ArrayList<>(Replay.read(new BufferedReader(new StringReader(String.join("\n", events()))), 1)
                .inputs().stream().map(Replay.Input::event).toList());
        List<String> asked = new ArrayList<>();
        CommunityEngine engine = new CommunityEngine("C001", Rules.real(), f -> { }).keepingUntouchedIn((c, ticket) -> {
            asked.add(ticket);
            return all.stream().filter(e -> e instanceof Event.OfTicket o && o.ticket().equals(ticket)
                    || e instanceof pm.monitor.event.Events.TicketReceived r && r.ticket().equals(ticket)).toList();
        });
        Event october = all.get(all.size() - 1);
        for (Event e : all.subList(0, all.size() - 1)) {
            engine.accept(e);
        }
        assertNull(engine.tracker().ticket("T1"), "out of memory");
        assertNotNull(engine.tracker().dormant("T1"), "known to be in the store");
        assertEquals(List.of(), asked);
        engine.accept(october);
        assertEquals(List.of("T1"), asked, "brought back from the store once");
        assertNotNull(engine.tracker().ticket("T1"));
        assertNull(engine.tracker().dormant("T1"));
        assertEquals(Instant.parse("2026-10-08T02:00:00Z"), engine.tracker().ticket("T1").getLastEventAt());
        engine.dispose();
    }
}
