package pm.monitor.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Reads events from NDJSON (one object per line) or from a JSON array, checks each against
 * the contract and hands every good event and every rejection to a {@link Sink}. One bad
 * line never costs the good lines around it: each NDJSON line is parsed on its own.
 */
public final class EventReader {

    /** Where read events go, in input order. */
    public interface Sink {
        /** A good event; {@code text} is its JSON as sent. */
        void accept(Event event, int line, String text);

        void reject(Rejection rejection);
    }

    /**
     * Longest id, community and ticket: the event store's columns (db/V1__events_and_findings.sql).
     * A longer one is this line's error; unchecked, it failed the insert of every event stored
     * with it. (Every other field's limit: {@link Fields#MAX_ID}, {@link Fields#MAX_TEXT}.)
     */
    public static final int MAX_ID = Fields.MAX_ID;
    public static final int MAX_COMMUNITY = Fields.MAX_COMMUNITY;
    public static final int MAX_TICKET = Fields.MAX_ID;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build());
    private final JsonFactory factory = MAPPER.getFactory();
    private final int maxLineLength;
    /** New input: its community codes are checked ({@link CommunityCodes}); stored events are not. */
    private final boolean input;

    public EventReader() {
        this(1 << 20);
    }

    /** @param maxLineLength longest accepted line (or array element), in characters */
    public EventReader(int maxLineLength) {
        this(maxLineLength, true);
    }

    private EventReader(int maxLineLength, boolean input) {
        this.maxLineLength = maxLineLength;
        this.input = input;
    }

    /**
     * A reader of events read back from the store: no line limit, and a community code stored
     * before codes were checked is read as it was, so that the rebuild at start still takes it.
     */
    public static EventReader stored() {
        return new EventReader(Integer.MAX_VALUE, false);
    }

    /** Reads a whole body: a JSON array when its first non-blank character is '[', else NDJSON. */
    public void read(String body, Sink sink) {
        int i = 0;
        while (i < body.length() && Character.isWhitespace(body.charAt(i))) {
            i++;
        }
        if (i < body.length() && body.charAt(i) == '[') {
            readArray(body, sink);
        } else {
            int line = 0;
            int index = 0;
            int start = 0;
            while (start <= body.length()) {
                int end = body.indexOf('\n', start);
                if (end < 0) {
                    end = body.length();
                }
                line++;
                String text = body.substring(start, end);
                if (!text.isBlank()) {
                    index++;
                    readLine(text, line, index, sink);
                }
                start = end + 1;
            }
        }
    }

    /** Whether the input is a JSON array (its first non-blank character is '['); the reader is left where it was. */
    public static boolean jsonArray(BufferedReader in) throws IOException {
        in.mark(1 << 16);
        int c;
        do {
            c = in.read();
        } while (c >= 0 && Character.isWhitespace(c));
        in.reset();
        return c == '[';
    }

    /** Streams NDJSON from a reader (large files); a JSON array is read whole. */
    public void read(BufferedReader in, Sink sink) {
        try {
            if (jsonArray(in)) {
                StringBuilder all = new StringBuilder();
                char[] buf = new char[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    all.append(buf, 0, n);
                }
                readArray(all.toString(), sink);
                return;
            }
            String text;
            int line = 0;
            int index = 0;
            while ((text = in.readLine()) != null) {
                line++;
                if (!text.isBlank()) {
                    index++;
                    readLine(text, line, index, sink);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one NDJSON line. */
    public void readLine(String text, int line, int index, Sink sink) {
        if (text.length() > maxLineLength) {
            sink.reject(new Rejection(line, index, null, null,
                    "line is " + text.length() + " characters long; the limit is " + maxLineLength));
            return;
        }
        if (!text.isEmpty() && text.charAt(text.length() - 1) == '\r') {
            text = text.substring(0, text.length() - 1);
        }
        try (JsonParser p = (input ? factory : STORED).createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                sink.reject(new Rejection(line, index, null, null, "not a JSON object"));
                return;
            }
            Fields f = readObject(p, text.indexOf('\\') >= 0);
            if (p.nextToken() != null) {
                sink.reject(new Rejection(line, index, idOf(f), null, "text after the end of the JSON object"));
                return;
            }
            build(f, line, index, text, sink);
        } catch (JsonParseException e) {
            sink.reject(new Rejection(line, index, null, null, "malformed JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            sink.reject(new Rejection(line, index, null, null, "unreadable: " + e.getMessage()));
        } catch (EventException e) {
            sink.reject(new Rejection(line, index, e.id(), e.field(), e.reason()));
        }
    }

    private void readArray(String body, Sink sink) {
        int index = 0;
        boolean escaped = body.indexOf('\\') >= 0;
        try (JsonParser p = factory.createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                sink.reject(new Rejection(1, 1, null, null, "not a JSON array"));
                return;
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    sink.reject(new Rejection(p.currentLocation().getLineNr(), index + 1, null, null,
                            "the JSON array is not closed"));
                    return;
                }
                index++;
                int line = p.currentTokenLocation().getLineNr();
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    sink.reject(new Rejection(line, index, null, null, "not a JSON object"));
                    continue;
                }
                int from = (int) p.currentTokenLocation().getCharOffset();
                Fields f;
                try {
                    f = readObject(p, escaped);
                } catch (EventException e) {
                    // skip the rest of this element, up to the array again (depth 1), else its
                    // remaining fields would be read as more elements
                    while (p.getParsingContext().getNestingDepth() > 1 && p.nextToken() != null) {
                        p.skipChildren();
                    }
                    sink.reject(new Rejection(line, index, e.id(), e.field(), e.reason()));
                    continue;
                }
                int to = (int) p.currentLocation().getCharOffset();
                String text = body.substring(from, to);
                if (text.length() > maxLineLength) {
                    sink.reject(new Rejection(line, index, idOf(f), null,
                            "event is " + text.length() + " characters long; the limit is " + maxLineLength));
                    continue;
                }
                build(f, line, index, text, sink);
            }
        } catch (JsonProcessingException e) {
            // also a StreamConstraintsException (nesting, number length): the element's answer, not a failed request
            sink.reject(new Rejection(e.getLocation() == null ? 0 : e.getLocation().getLineNr(), index + 1, null, null,
                    "malformed JSON (the rest of the array is not read): " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the fields of the object whose START_OBJECT is the current token, up to its
     * END_OBJECT. {@code escaped}: the text has a backslash, so a string may hold a character
     * PostgreSQL cannot store (U+0000, an unpaired surrogate); those come only from escapes,
     * since decoded UTF-8 text cannot hold them and raw control characters are malformed JSON.
     */
    private Fields readObject(JsonParser p, boolean escaped) throws IOException {
        // events stored before a limit existed are read back as they were: only input is held to them
        Fields f = new Fields(input);
        try {
            return readFields(p, escaped, f);
        } catch (EventException e) {
            throw e.withId(idOf(f));
        }
    }

    private Fields readFields(JsonParser p, boolean escaped, Fields f) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (escaped) {
                storable(name, name);
            }
            JsonToken v = p.nextToken();
            Object value = switch (v) {
                case VALUE_STRING -> escaped ? storable(name, p.getText()) : p.getText();
                case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? (Object) p.getDoubleValue() : (Object) p.getLongValue();
                case VALUE_NUMBER_FLOAT -> storableNumber(name, p).getDoubleValue();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> Fields.NULL;
                case START_OBJECT, START_ARRAY -> tree(p, name, escaped);
                default -> throw new EventException(name, "unexpected JSON token " + v);
            };
            if (f.raw(name) != null) {
                throw new EventException(name, "appears twice in one event");
            }
            f.put(name, value);
        }
        if (t != JsonToken.END_OBJECT) {
            throw new EventException(null, "malformed JSON object");
        }
        return f;
    }

    /**
     * Refuses a string PostgreSQL's jsonb cannot hold: the escaped character U+0000 and an
     * unpaired surrogate (U+D800 to U+DFFF) are valid JSON but fail the insert of the whole
     * stored batch.
     */
    private static String storable(String field, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                throw new EventException(field, "contains the character U+0000, which cannot be stored");
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new EventException(field, "contains an unpaired UTF-16 surrogate (\\u"
                        + Integer.toHexString(c) + "), which is not a character");
            }
        }
        return s;
    }

    /**
     * Longest number, in digits written out without an exponent. PostgreSQL's jsonb keeps a
     * number written out ({@code 1e3} comes back as {@code 1000}), and a stored event must read
     * back with this reader (a rebuild, a replay from the store), whose limit is Jackson's 1000
     * digits: so {@code 1e999} is taken and {@code 1e1000} is this line's error. PostgreSQL
     * itself refuses beyond 131072 digits before the point, 16383 after, or an exponent of
     * 2^30 - 1 and more even for zero (found by trying PostgreSQL 15): {@code 1e131072},
     * {@code 1e-16384}, {@code 1e2147483648} failed the insert of the whole stored batch.
     */
    public static final int MAX_NUMBER_DIGITS = 1000;

    /**
     * For events read back from the store: PostgreSQL writes numbers out ({@code 1e1000} comes
     * back as 1001 digits), so an event stored before {@link #MAX_NUMBER_DIGITS} was checked may
     * hold a number up to PostgreSQL's own limit (131072 digits before the point, 16383 after).
     */
    private static final JsonFactory STORED = JsonFactory.builder().streamReadConstraints(StreamReadConstraints
            .builder().maxNestingDepth(64).maxNumberLength(131_072 + 16_383 + 2).build()).build();
    private static final JsonNodeFactory NODES = MAPPER.getNodeFactory();

    /**
     * Reads the object or array whose start is the current token as a tree (what
     * {@code ObjectMapper.readTree} gives), checking each string and number in it as the top-level
     * ones are: an unknown field is kept as sent, so nothing in it may fail the insert. The
     * parser bounds the nesting (64), and so this recursion.
     */
    private static JsonNode tree(JsonParser p, String field, boolean escaped) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                String key;
                while ((key = p.nextFieldName()) != null) {
                    if (escaped) {
                        storable(field, key);
                    }
                    p.nextToken();
                    o.set(key, tree(p, field, escaped));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(tree(p, field, escaped));
                }
                return a;
            }
            case VALUE_STRING -> {
                return NODES.textNode(escaped ? storable(field, p.getText()) : p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(storableNumber(field, p).getDoubleValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new EventException(field, "unexpected JSON token " + t);
        }
    }

    /**
     * Refuses a number that PostgreSQL would store longer than {@link #MAX_NUMBER_DIGITS} digits
     * (or not at all). Only a number with an exponent can: without one, the parser's own limit
     * (1000 digits) holds, and PostgreSQL keeps it as written.
     */
    private static JsonParser storableNumber(String field, JsonParser p) throws IOException {
        String s = p.getText();
        int e = s.indexOf('e');
        if (e < 0) {
            e = s.indexOf('E');
        }
        if (e < 0) {
            return p;
        }
        long digits = writtenOut(s, e);
        if (digits > MAX_NUMBER_DIGITS) {
            throw new EventException(field, "the number " + (s.length() <= 40 ? s : s.substring(0, 40) + "…")
                    + " has " + (digits == Long.MAX_VALUE ? "too many" : String.valueOf(digits))
                    + " digits written out, as it would be stored; the limit is " + MAX_NUMBER_DIGITS);
        }
        return p;
    }

    /**
     * How many digits a JSON number with its exponent at {@code e} has written out without one,
     * as PostgreSQL gives it back and as the parser counts them ({@code 1.5e-3} is
     * {@code 0.0015}: four, the lone 0 before the point not counted), or Long.MAX_VALUE when
     * PostgreSQL refuses its exponent whatever the digits (2^30 - 1 or more either way).
     */
    static long writtenOut(String s, int e) {
        int from = s.charAt(0) == '-' ? 1 : 0;
        int dot = s.indexOf('.', from);
        int intLen = (dot >= 0 ? dot : e) - from;
        int fracLen = dot >= 0 ? e - dot - 1 : 0;
        int k = e + 1;
        boolean negative = k < s.length() && s.charAt(k) == '-';
        if (k < s.length() && (s.charAt(k) == '-' || s.charAt(k) == '+')) {
            k++;
        }
        long exp = 0;
        for (; k < s.length(); k++) {
            exp = exp * 10 + (s.charAt(k) - '0');
            if (exp >= (1 << 30) - 1) {
                return Long.MAX_VALUE;
            }
        }
        if (negative) {
            exp = -exp;
        }
        // the first digit that is not 0, counted over the digits before and after the point
        int first = -1;
        for (int i = 0, n = 0; i < e - from && first < 0; i++) {
            char c = s.charAt(from + i);
            if (c == '.') {
                continue;
            }
            if (c != '0') {
                first = n;
            }
            n++;
        }
        long scale = Math.max(0, fracLen - exp); // digits after the point, as written (trailing zeros kept)
        long before = first < 0 ? 0 : Math.max(0, intLen - first + exp); // the 0 of "0.5" counts for neither
        return before + scale;
    }

    private static final ObjectMapper EXACT = MAPPER.copy()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /**
     * Whether two events' JSON hold the same content as PostgreSQL's jsonb compares it (the
     * store compares a resent event with the stored one so): members in any order, white space
     * aside, numbers by value ({@code 1.0} is {@code 1}), strings exactly. False when either is
     * not JSON.
     */
    public static boolean sameContent(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            return EXACT.readTree(a).equals((x, y) -> x.isNumber() && y.isNumber()
                    ? x.decimalValue().compareTo(y.decimalValue()) : x.equals(y) ? 0 : 1, EXACT.readTree(b));
        } catch (IOException e) {
            return false;
        }
    }

    private static String idOf(Fields f) {
        Object id = f.raw("id");
        return id instanceof String s ? s : null;
    }

    private static void longest(String field, String value, int max) {
        Fields.longest(field, value, max);
    }

    /**
     * One instance per community code: a replay groups and routes millions of events by it, and
     * with every event's own copy each comparison and hash read another copy from memory (the
     * grouping loop was a tenth of a replay's time). Bounded, so a stream of made-up codes cannot
     * grow it without end; past the bound codes are simply not shared.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> COMMUNITIES =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_SHARED_COMMUNITIES = 65_536;

    static String canonical(String community) {
        String c = COMMUNITIES.get(community);
        if (c != null) {
            return c;
        }
        if (COMMUNITIES.size() >= MAX_SHARED_COMMUNITIES) {
            return community;
        }
        c = COMMUNITIES.putIfAbsent(community, community);
        return c != null ? c : community;
    }

    private void build(Fields f, int line, int index, String text, Sink sink) {
        String id = idOf(f);
        try {
            id = f.requiredString("id");
            String type = f.requiredString("type");
            Instant at = f.requiredInstant("at");
            String community = f.requiredString("community");
            longest("id", id, MAX_ID);
            longest("community", community, MAX_COMMUNITY);
            if (input && !CommunityCodes.valid(community)) {
                throw new EventException("community", CommunityCodes.problem(community));
            }
            community = canonical(community);
            if (!EventTypes.known(type)) {
                throw new EventException("type", "unknown event type \"" + type + "\"");
            }
            Event e = EventTypes.read(type, id, at, community, f);
            if (e instanceof Event.OfTicket t) {
                longest("ticket", t.ticket(), MAX_TICKET);
            }
            sink.accept(e, line, text);
        } catch (EventException e) {
            sink.reject(new Rejection(line, index, id, e.field(), e.reason()));
        }
    }
}
