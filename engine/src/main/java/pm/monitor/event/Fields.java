package pm.monitor.event;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The top-level fields of one JSON event as read, before they become a typed record. The
 * typed readers below take the fields the contract defines; whatever is left over is the
 * event's {@code extra}.
 */
public final class Fields {
    /**
     * The longest values, in characters (README "Event fields and their limits"). Checked here,
     * at parse, so that a value the store or a finding could not hold is this line's rejection:
     * unchecked, a 301-character call id was accepted and its finding (subject: VARCHAR(300))
     * was refused by PostgreSQL and lost.
     *
     * <p>{@code MAX_ID}: every identifier or code (event id, ticket, call, patrol, issue,
     * building, household, incident, staff ids, line, department, method, ...). The event store
     * keeps id and ticket in VARCHAR(200) (db/V1__events_and_findings.sql), and a finding's
     * subject (findings.subject, alert_items.subject: VARCHAR(300)) is an identifier or
     * {@code building@YYYY-MM-DD}, at most 200 + 11 characters.
     *
     * <p>{@code MAX_COMMUNITY}: the community code, VARCHAR(100) in every table that has one.
     *
     * <p>{@code MAX_TEXT}: free text (summary, note, reason, a community's name), kept only in
     * the event's JSON: about what one line of the default 64 KiB line limit holds in Chinese
     * (3 bytes a character).
     */
    public static final int MAX_ID = 200;
    public static final int MAX_COMMUNITY = 100;
    public static final int MAX_TEXT = 20_000;

    /** Whether the limits above apply (new input), or not (events read back from the store). */
    private final boolean bounded;

    Fields(boolean bounded) {
        this.bounded = bounded;
    }

    /** Marks a field present with the JSON value null. */
    static final Object NULL = new Object();

    // Names and values in the order they came, found by a linear scan: an event has a dozen
    // fields, for which this is several times cheaper than a hash map (parsing is a large share
    // of a replay). A line with very many fields gets an index, so a hostile one stays linear.
    private String[] names = new String[16];
    private Object[] values = new Object[16];
    private int size;
    private java.util.HashMap<String, Integer> index;
    private int taken;

    private int find(String name) {
        if (index != null) {
            Integer i = index.get(name);
            return i == null ? -1 : i;
        }
        for (int i = 0; i < size; i++) {
            if (names[i] == name) { // the parser's names are interned, as are the literals asked for
                return i;
            }
        }
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    void put(String name, Object value) {
        int i = find(name);
        if (i >= 0) {
            values[i] = value;
            return;
        }
        if (size == names.length) {
            names = java.util.Arrays.copyOf(names, size * 2);
            values = java.util.Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        if (index != null) {
            index.put(name, size);
        } else if (size == 32) {
            index = new java.util.HashMap<>();
            for (int k = 0; k <= size; k++) {
                index.put(names[k], k);
            }
        }
        size++;
    }

    public boolean has(String name) {
        Object v = raw(name);
        return v != null && v != NULL;
    }

    Object raw(String name) {
        int i = find(name);
        return i < 0 ? null : values[i];
    }

    private Object take(String name) {
        int i = find(name);
        if (i < 0) {
            return null;
        }
        Object v = values[i];
        taken++;
        values[i] = TAKEN;
        return v == NULL ? null : v;
    }

    private static final Object TAKEN = new Object();

    public String requiredString(String name) {
        String s = optionalString(name);
        if (s == null) {
            throw new EventException(name, "missing (required)");
        }
        return s;
    }

    public String optionalString(String name) {
        Object v = take(name);
        if (v == null || v == TAKEN) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new EventException(name, "must be a string, not " + describe(v));
        }
        if (s.isEmpty()) {
            throw new EventException(name, "must not be empty");
        }
        return bounded ? longest(name, s, MAX_ID) : s;
    }

    /** Free text: any string, empty allowed. */
    public String text(String name) {
        Object v = take(name);
        if (v == null || v == TAKEN) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new EventException(name, "must be a string, not " + describe(v));
        }
        return bounded ? longest(name, s, MAX_TEXT) : s;
    }

    /** The value, or this field's error when it has more than {@code max} characters (code points, as PostgreSQL counts). */
    static String longest(String name, String s, int max) {
        if (s.length() > max) {
            int n = s.codePointCount(0, s.length());
            if (n > max) {
                throw new EventException(name, "is " + n + " characters long; the limit is " + max);
            }
        }
        return s;
    }

    public String requiredEnum(String name, Vocabulary.Values allowed) {
        String v = optionalEnum(name, allowed, null);
        if (v == null) {
            throw new EventException(name, "missing (required; one of " + allowed + ")");
        }
        return v;
    }

    public String optionalEnum(String name, Vocabulary.Values allowed, String fallback) {
        String s = optionalString(name);
        if (s == null) {
            return fallback;
        }
        String c = allowed.canonical(s);
        if (c == null) {
            throw new EventException(name, "unknown value \"" + s + "\" (one of " + allowed + ")");
        }
        return c;
    }

    public Instant requiredInstant(String name) {
        Instant i = optionalInstant(name);
        if (i == null) {
            throw new EventException(name, "missing (required; an ISO-8601 time with offset)");
        }
        return i;
    }

    public Instant optionalInstant(String name) {
        String s = optionalString(name);
        if (s == null) {
            return null;
        }
        try {
            return Timestamps.parse(s);
        } catch (IllegalArgumentException e) {
            throw new EventException(name, e.getMessage());
        }
    }

    public LocalDate requiredDate(String name) {
        String s = optionalString(name);
        if (s == null) {
            throw new EventException(name, "missing (required; a date YYYY-MM-DD)");
        }
        try {
            return Timestamps.parseDate(s);
        } catch (IllegalArgumentException e) {
            throw new EventException(name, e.getMessage());
        }
    }

    public boolean bool(String name, boolean fallback) {
        Object v = take(name);
        if (v == null || v == TAKEN) {
            return fallback;
        }
        if (!(v instanceof Boolean b)) {
            throw new EventException(name, "must be true or false, not " + describe(v));
        }
        return b;
    }

    public boolean requiredBool(String name) {
        if (!has(name)) {
            throw new EventException(name, "missing (required; true or false)");
        }
        return bool(name, false);
    }

    public int integer(String name, int fallback, int min, int max) {
        Object v = take(name);
        if (v == null || v == TAKEN) {
            return fallback;
        }
        if (!(v instanceof Long l)) {
            throw new EventException(name, "must be a whole number, not " + describe(v));
        }
        if (l < min || l > max) {
            throw new EventException(name, "must be between " + min + " and " + max + ", not " + l);
        }
        return (int) (long) l;
    }

    public int requiredInteger(String name, int min, int max) {
        if (!has(name)) {
            throw new EventException(name, "missing (required; a whole number)");
        }
        return integer(name, 0, min, max);
    }

    /** The fields nobody took, in the order they came. */
    Map<String, Object> rest() {
        if (taken == size) {
            return Collections.emptyMap();
        }
        Map<String, Object> rest = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            Object v = values[i];
            if (v != TAKEN) {
                rest.put(names[i], v == NULL ? null : v);
            }
        }
        return Collections.unmodifiableMap(rest);
    }

    private static String describe(Object v) {
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Long || v instanceof Double) {
            return "a number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        return "an object or array";
    }
}
