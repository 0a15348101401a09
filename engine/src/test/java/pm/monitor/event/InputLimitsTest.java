package pm.monitor.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.support.TestDatabase;

/**
 * What the reader refuses so that nothing it accepts can fail the store later (issue 17): numbers
 * PostgreSQL cannot keep (or keeps too long to read back), and values longer than the columns
 * and findings made from them.
 */
class InputLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEAD = "{\"id\":\"n1\",\"type\":\"call.missed\",\"at\":\"2026-03-02T09:00:00+08:00\","
            + "\"community\":\"C1\",\"call\":\"K1\",";

    /** The event read from one line, or its rejection. */
    record Read(Event event, Rejection rejection) {
    }

    static Read read(EventReader reader, String line) {
        Event[] e = {null};
        Rejection[] r = {null};
        reader.readLine(line, 7, 7, new EventReader.Sink() {
            @Override
            public void accept(Event event, int l, String text) {
                e[0] = event;
            }

            @Override
            public void reject(Rejection x) {
                r[0] = x;
            }
        });
        return new Read(e[0], r[0]);
    }

    static Read read(String line) {
        return read(new EventReader(), line);
    }

    @Test
    @DisplayName("A number is taken exactly when PostgreSQL stores it and the stored event reads back, at the top and nested")
    void numbersAsPostgresqlStoresThem() throws SQLException {
        List<String> numbers = new ArrayList<>(List.of(
                // the three, and PostgreSQL's own limits either side
                "1e131072", "1e-16384", "1e2147483648", "1e131071", "1e-16383", "0e1073741822", "0e1073741823",
                "0e-1073741823", "-1e131072", "1.5e-16383", "0.0e-16383", "9.99e131071",
                // the reader's own limit either side: 1000 digits written out
                "1e999", "1e1000", "-1e999", "9.5e998", "9.5e999", "1e-998", "1e-999", "1E+999", "1E+1000",
                "0.001e1002", "0.001e1003", "10e998", "10e999", "0e-999", "0e-1000", "0.0e-998", "0.0e-999",
                "123.456e997", "123.456e-995", "123.456e-996", "1" + "0".repeat(900) + "e99", "1" + "0".repeat(900) + "e100",
                "1." + "0".repeat(900) + "e-98", "1." + "0".repeat(900) + "e-99",
                // ordinary ones
                "1.5", "-2.5E-3", "1e2", "0.0", "12345678901234567890.5"));
        Random random = new Random(17);
        String[] mantissas = {"1", "-7", "0", "0.0", "9.99", "0.00012", "120.50", "-0.5"};
        for (int i = 0; i < 60; i++) {
            int exp = switch (i % 4) {
                case 0 -> 990 + random.nextInt(20);
                case 1 -> -(990 + random.nextInt(20));
                case 2 -> random.nextInt(200_000) - 100_000;
                default -> random.nextInt(4000) - 2000;
            };
            numbers.add(mantissas[random.nextInt(mantissas.length)] + "e" + exp);
        }
        try (Connection c = DriverManager.getConnection(TestDatabase.serverUrl());
             PreparedStatement cast = c.prepareStatement("SELECT ?::jsonb::text")) {
            int taken = 0;
            int refused = 0;
            for (String n : numbers) {
                String stored;
                try {
                    cast.setString(1, n);
                    try (ResultSet rs = cast.executeQuery()) {
                        rs.next();
                        stored = rs.getString(1);
                    }
                } catch (SQLException x) {
                    stored = null; // PostgreSQL refuses it: "value overflows numeric format"
                }
                boolean readsBack = stored != null && read(HEAD + "\"x\":" + stored + "}").event() != null;
                for (String line : List.of(HEAD + "\"x\":" + n + "}", HEAD + "\"x\":{\"a\":[1,{\"b\":" + n + "}]}}",
                        "[" + HEAD + "\"x\":[" + n + "]}]")) {
                    Read r = line.startsWith("[") ? array(line) : read(line);
                    String what = n + " (PostgreSQL: " + (stored == null ? "refused" : stored.length() + " characters")
                            + ") in " + abbreviate(line);
                    assertEquals(readsBack, r.event() != null, what + " → " + r.rejection());
                    if (r.rejection() != null) {
                        assertEquals("x", r.rejection().field(), what);
                        assertTrue(r.rejection().reason().contains("digits written out"), r.rejection().reason());
                        assertEquals(line.startsWith("[") ? 1 : 7, r.rejection().line());
                    }
                }
                if (readsBack) {
                    taken++;
                } else {
                    refused++;
                }
            }
            assertTrue(taken > 30 && refused > 30, "both sides covered: " + taken + " taken, " + refused + " refused");
        }
    }

    private static Read array(String body) {
        Event[] e = {null};
        Rejection[] r = {null};
        new EventReader().read(body, new EventReader.Sink() {
            @Override
            public void accept(Event event, int l, String text) {
                e[0] = event;
            }

            @Override
            public void reject(Rejection x) {
                r[0] = x;
            }
        });
        return new Read(e[0], r[0]);
    }

    /** An event of each type with each of its identifier and free-text fields, and which limit applies. */
    private static final String[][] FIELDS = {
            // type, field, ID / TEXT / COMMUNITY
            {"call.missed", "id", "ID"}, {"call.missed", "community", "COMMUNITY"},
            {"call.missed", "call", "ID"}, {"call.missed", "line", "ID"},
            {"call.answered", "call", "ID"}, {"call.answered", "line", "ID"},
            {"ticket.received", "ticket", "ID"}, {"ticket.received", "household", "ID"},
            {"ticket.received", "building", "ID"}, {"ticket.received", "incident", "ID"},
            {"ticket.received", "receivedBy", "ID"}, {"ticket.received", "issue", "ID"},
            {"ticket.received", "summary", "TEXT"},
            {"ticket.classified", "incident", "ID"}, {"ticket.contacted", "by", "ID"},
            {"ticket.dispatched", "to", "ID"}, {"ticket.arrived", "by", "ID"}, {"ticket.resolved", "by", "ID"},
            {"ticket.replied", "by", "ID"}, {"ticket.progress", "by", "ID"}, {"ticket.progress", "note", "TEXT"},
            {"ticket.followed_up", "by", "ID"}, {"ticket.followed_up", "method", "ID"},
            {"ticket.reopened", "reason", "TEXT"}, {"ticket.closed", "by", "ID"},
            {"building.registered", "building", "ID"}, {"building.registered", "manager", "ID"},
            {"community.registered", "name", "TEXT"},
            {"patrol.completed", "patrol", "ID"}, {"patrol.completed", "building", "ID"},
            {"patrol.completed", "by", "ID"},
            {"patrol.issue_found", "issue", "ID"}, {"patrol.issue_found", "patrol", "ID"},
            {"patrol.issue_found", "building", "ID"}, {"patrol.issue_found", "summary", "TEXT"},
            {"patrol.issue_resolved", "issue", "ID"}, {"patrol.issue_resolved", "by", "ID"},
            {"patrol.issue_verified", "issue", "ID"}, {"patrol.issue_verified", "by", "ID"},
            {"patrol.reviewed", "by", "ID"},
    };

    private static Map<String, Object> event(String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "e1");
        m.put("type", type);
        m.put("at", "2026-03-02T09:00:00+08:00");
        m.put("community", "C1");
        switch (type) {
            case "call.missed" -> m.put("call", "K1");
            case "call.answered" -> {
                m.put("call", "K1");
                m.put("rings", 2);
            }
            case "ticket.received" -> {
                m.put("ticket", "T1");
                m.put("kind", "complaint");
                m.put("channel", "phone");
                m.put("category", "service");
                m.put("receivedBy", "a1");
            }
            case "ticket.classified" -> {
                m.put("ticket", "T1");
                m.put("validity", "assist");
            }
            case "ticket.replied" -> {
                m.put("ticket", "T1");
                m.put("method", "phone");
            }
            case "ticket.followed_up" -> {
                m.put("ticket", "T1");
                m.put("satisfied", true);
            }
            case "building.registered" -> m.put("building", "B1");
            case "patrol.completed" -> {
                m.put("patrol", "P1");
                m.put("kind", "building");
                m.put("building", "B1");
            }
            case "patrol.issue_found", "patrol.issue_resolved", "patrol.issue_verified" -> m.put("issue", "I1");
            case "patrol.reviewed" -> m.put("date", "2026-03-01");
            case "community.registered" -> {
            }
            default -> m.put("ticket", "T1");
        }
        return m;
    }

    @Test
    @DisplayName("Every identifier holds 200 characters, a community code 100, free text 20,000; one more is the line's rejection by line, id and field")
    void fieldLimits() throws Exception {
        for (String[] f : FIELDS) {
            int max = switch (f[2]) {
                case "ID" -> Fields.MAX_ID;
                case "COMMUNITY" -> Fields.MAX_COMMUNITY;
                default -> Fields.MAX_TEXT;
            };
            assertEquals(f[2].equals("ID") ? 200 : f[2].equals("COMMUNITY") ? 100 : 20_000, max, "the documented limits");
            // a character outside the BMP is two Java chars, one character (community codes: letters only)
            for (String unit : f[2].equals("COMMUNITY") ? List.of("C") : List.of("x", "长", "😀")) {
                Map<String, Object> m = event(f[0]);
                m.put(f[1], unit.repeat(max));
                Read ok = read(JSON.writeValueAsString(m));
                assertNotNull(ok.event(), f[0] + " " + f[1] + " of " + max + " × " + unit + ": " + ok.rejection());
                m.put(f[1], unit.repeat(max + 1));
                Read bad = read(JSON.writeValueAsString(m));
                String what = f[0] + " " + f[1] + " of " + (max + 1) + " × " + unit;
                assertNull(bad.event(), what);
                assertEquals(f[1], bad.rejection().field(), what + ": " + bad.rejection());
                assertEquals(7, bad.rejection().line(), what);
                assertEquals(f[1].equals("id") ? unit.repeat(max + 1) : "e1", bad.rejection().id(), what);
                assertEquals("is " + (max + 1) + " characters long; the limit is " + max, bad.rejection().reason(), what);
            }
        }
    }

    @Test
    @DisplayName("Events read back from the store are not held to limits that came after them")
    void storedEventsReadAsTheyWere() throws Exception {
        Map<String, Object> m = event("call.missed");
        m.put("call", "K".repeat(301));
        m.put("note", "长".repeat(30_000));
        String stored = JSON.writeValueAsString(m);
        assertNotNull(read(stored).rejection(), "new input is held to the limits");
        Read back = read(EventReader.stored(), stored);
        assertNotNull(back.event(), "read back as it was: " + back.rejection());
        assertEquals("K".repeat(301), ((Events.CallMissed) back.event()).call());

        // a number stored before numbers were checked, as PostgreSQL gives it back (1e1000 written out)
        Read number = read(EventReader.stored(), HEAD + "\"x\":1" + "0".repeat(1000) + "}");
        assertNotNull(number.event(), "read back: " + number.rejection());
        assertNotNull(read(HEAD + "\"x\":1" + "0".repeat(1000) + "}").rejection(), "too long as new input");
    }

    @Test
    @DisplayName("Same content is compared as PostgreSQL's jsonb does: members in any order, numbers by value, strings exactly")
    void sameContent() {
        String a = "{\"id\":\"e1\",\"x\":{\"a\":[1,2.50,{\"b\":null}]},\"s\":\"长\"}";
        assertTrue(EventReader.sameContent(a, a));
        assertTrue(EventReader.sameContent(a, "  {\"s\":\"\\u957f\", \"x\":{\"a\":[1.0,25e-1,{\"b\":null}]},\"id\":\"e1\"} "));
        assertFalse(EventReader.sameContent(a, "{\"id\":\"e1\",\"x\":{\"a\":[2.50,1,{\"b\":null}]},\"s\":\"长\"}"), "array order counts");
        assertFalse(EventReader.sameContent(a, "{\"id\":\"e1\",\"x\":{\"a\":[1,2.50,{\"b\":null}]},\"s\":\"长 \"}"));
        assertFalse(EventReader.sameContent(a, "{\"id\":\"e1\",\"x\":{\"a\":[1,2.50,{\"b\":null}]}}"), "a member less");
        assertFalse(EventReader.sameContent(a, "{\"id\":\"e1\",\"x\":{\"a\":[1,\"2.50\",{\"b\":null}]},\"s\":\"长\"}"));
        assertFalse(EventReader.sameContent(a, "not json"));
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "… (" + s.length() + " characters)";
    }
}
