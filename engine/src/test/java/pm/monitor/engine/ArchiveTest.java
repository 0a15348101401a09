package pm.monitor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pm.monitor.support.Scenario.on;
import static pm.monitor.support.Scenario.received;
import static pm.monitor.support.Scenario.t;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.event.Event;
import pm.monitor.event.EventException;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.fact.Tracker;
import pm.monitor.kpi.PeriodKeys;
import pm.monitor.support.Rules;
import pm.monitor.support.Scenario;

/** Closed tickets and old KPI periods leave memory by event time (README "Retention"). */
class ArchiveTest {
    private static final String INQUIRY = "\"kind\":\"inquiry\",\"channel\":\"phone\"";
    private static final String FOLLOW_UP = "\"by\":\"s2\",\"method\":\"phone\",\"satisfied\":true";

    /** An inquiry received, answered and closed on 2 March 2026 at 10:00 (+08:00). */
    private static String[] closedInquiry(String ticket) {
        return new String[] {
                received(ticket, "2026-03-02T09:00:00+08:00", INQUIRY),
                on(ticket, "ticket.replied", "2026-03-02T09:30:00+08:00", "\"by\":\"a1\",\"method\":\"phone\""),
                on(ticket, "ticket.closed", "2026-03-02T10:00:00+08:00", "\"by\":\"a1\"")};
    }

    private static int n;

    private static Event event(String json) {
        String text = json.replaceFirst("\\{", "{\"id\":\"a-" + (++n) + "\",\"community\":\"" + Scenario.COMMUNITY + "\",");
        List<Event> read = new ArrayList<>();
        new EventReader().read(new BufferedReader(new StringReader(text)), new EventReader.Sink() {
            @Override
            public void accept(Event event, int l, String t) {
                read.add(event);
            }

            @Override
            public void reject(Rejection r) {
                throw new IllegalArgumentException(r.toString());
            }
        });
        return read.get(0);
    }

    @Test
    @DisplayName("A closed ticket is dropped at the first day start 62 days and a day after its closing, not before; an open one stays")
    void closedTicketsAreDroppedAfterTheRetention() {
        Scenario s = new Scenario();
        s.given(closedInquiry("T1"));
        s.given(received("T2", "2026-03-02T09:00:00+08:00", INQUIRY)); // never closed
        assertEquals(java.time.Duration.ofDays(62), s.engine().tracker().archiveAfter());

        // 4 May 00:00: the cut is 2 March 00:00 (62 days and a day before); closed at 10:00 that day, T1 stays
        s.clockAt("2026-05-04T00:00:00+08:00");
        assertNotNull(s.engine().tracker().ticket("T1"));
        // 5 May 00:00: the cut is 3 March 00:00; T1 goes
        s.clockAt("2026-05-05T00:00:00+08:00");
        assertNull(s.engine().tracker().ticket("T1"));
        assertNotNull(s.engine().tracker().ticket("T2"), "an open ticket is kept however old");
    }

    @Test
    @DisplayName("An event 62 days after its ticket's closing is refused as archived, whether or not the ticket was dropped yet; "
            + "ingest's index answers the same, drops the ticket too, and lets its id be received again")
    void eventsForArchivedTicketsAreRefused() {
        Scenario s = new Scenario();
        Admission index = new Admission(Rules.real());
        for (String e : closedInquiry("T1")) {
            s.given(e);
            index.record(event(e));
        }
        for (String e : closedInquiry("T3")) {
            s.given(e);
            index.record(event(e));
        }
        // a minute before 62 days: taken
        String before = on("T1", "ticket.followed_up", "2026-05-03T09:59:00+08:00", FOLLOW_UP);
        assertNull(index.check(event(before), index.overlay()));
        s.given(before);
        index.record(event(before));

        // exactly 62 days after the closing: archived, though still in memory
        Event at = event(on("T3", "ticket.followed_up", "2026-05-03T10:00:00+08:00", FOLLOW_UP));
        assertNotNull(s.engine().tracker().ticket("T3"));
        EventException engine = s.engine().check(at);
        EventException ingest = index.check(at, index.overlay());
        assertNotNull(engine);
        assertNotNull(ingest);
        assertTrue(engine.getMessage().contains("closed and archived"), engine.getMessage());
        assertEquals(engine.getMessage(), ingest.getMessage());

        // days later both have dropped it: still refused (now as unknown or archived)
        s.clockAt("2026-05-06T00:00:00+08:00");
        Event later = event(on("T3", "ticket.followed_up", "2026-05-06T10:00:00+08:00", FOLLOW_UP));
        index.record(event("{\"type\":\"call.missed\",\"at\":\"2026-05-06T00:00:00+08:00\",\"call\":\"K1\",\"line\":\"400\"}"));
        assertNull(s.engine().tracker().ticket("T3"));
        assertEquals(0, index.tickets(Scenario.COMMUNITY), "the index dropped both closed tickets");
        assertTrue(s.engine().check(later).getMessage().contains("archived"));
        assertTrue(index.check(later, index.overlay()).getMessage().contains("archived"));

        // the id of an archived ticket may be received again: a new ticket
        Event again = event(received("T3", "2026-05-06T11:00:00+08:00", INQUIRY));
        assertNull(index.check(again, index.overlay()));
        s.engine().accept(again);
        assertEquals(t("2026-05-06T11:00:00+08:00"), s.engine().tracker().ticket("T3").getReceivedAt());
    }

    @Test
    @DisplayName("Before the ticket is dropped, a second receipt of its id after the archive time replaces it, in engine and index alike")
    void archivedIdReceivedAgainBeforeTheDrop() {
        Scenario s = new Scenario();
        Admission index = new Admission(Rules.real());
        Admission batch = index.overlay();
        for (String e : closedInquiry("T1")) {
            s.given(e);
            assertNull(index.check(event(e), batch));
            batch.record(event(e));
        }
        index.merge(batch);
        String early = received("T1", "2026-05-03T09:59:00+08:00", INQUIRY);
        assertTrue(s.engine().check(event(early)).getMessage().contains("already received"));
        assertTrue(index.check(event(early), index.overlay()).getMessage().contains("already received"));
        String again = received("T1", "2026-05-03T10:00:00+08:00", INQUIRY);
        assertNull(index.check(event(again), index.overlay()));
        s.given(again);
        Admission next = index.overlay();
        next.record(event(again));
        index.merge(next);
        // the new T1 is open: not archived, and events for it are taken
        String reply = on("T1", "ticket.replied", "2026-06-20T09:00:00+08:00", "\"by\":\"a1\",\"method\":\"phone\"");
        assertNull(index.check(event(reply), index.overlay()));
        s.given(reply);
        assertNull(s.engine().tracker().ticket("T1").getClosedAt());
    }

    @Test
    @DisplayName("KPI values of days and weeks retire 62 days after they end, months 13 months after; a replay keeps reporting them")
    void kpiPeriodsRetire() {
        Scenario serve = new Scenario();
        serve.engine().kpis().keepRetired(false);
        Scenario replay = new Scenario();
        for (Scenario s : List.of(serve, replay)) {
            s.given(closedInquiry("T1"));
        }
        String day = "2026-03-02";
        for (Scenario s : List.of(serve, replay)) {
            s.clockAt("2026-05-02T00:00:00+08:00"); // 61 days after 2 March: kept
            assertTrue(s.engine().kpis().snapshot().stream().anyMatch(k -> k.period().equals(day)));
        }
        serve.engine().kpis().drainChanged();
        for (Scenario s : List.of(serve, replay)) {
            s.clockAt("2026-05-04T00:00:00+08:00");
        }
        assertTrue(serve.engine().kpis().snapshot().stream().noneMatch(k -> k.period().equals(day)));
        assertTrue(serve.engine().kpis().snapshot().stream().anyMatch(k -> k.period().equals("2026-03")),
                "the month is kept");
        assertTrue(serve.engine().kpis().drainRetired().contains(day));
        assertTrue(replay.engine().kpis().snapshot().stream().anyMatch(k -> k.period().equals(day)));
        assertEquals(replay.engine().kpis().snapshot().stream().filter(k -> k.period().equals("2026-03")).toList(),
                serve.engine().kpis().snapshot().stream().filter(k -> k.period().equals("2026-03")).toList());
        assertNotNull(PeriodKeys.parse(day));
        assertEquals(Tracker.MIN_ARCHIVE_AFTER, serve.engine().tracker().archiveAfter());
    }
}
