package pm.monitor.importer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import pm.monitor.calendar.Times;

/**
 * Turns one row of an export into the contract's events for its ticket, or says why the row
 * cannot be used. It keeps what it needs across rows: the tickets already taken (a second row
 * for one ticket is a duplicate) and the source values that no value map knew.
 *
 * <p>Event ids are {@code community:ticket:step}, so importing the same export again, or an
 * overlapping one, gives the same ids and the receiver counts each event once.
 */
final class RowMapper {
    /** Why a row was not imported: a short reason that is counted, and the detail for its report. */
    record Skip(String reason, String detail) {
    }

    /** One event, with what orders it: its time, then the row, then its step within the row. */
    record Out(long at, int row, int step, String json) {
    }

    /** The steps after receipt, in the order a ticket goes through them. */
    private static final List<String> STEPS = List.of("contacted", "dispatched", "resolved", "replied", "closed");
    private static final Pattern HOUSE_NUMBER = Pattern.compile("^(\\d+)[A-Z]?(?:-\\d+[A-Z]?)?\\s+(.+)$");
    private static final JsonFactory JSON = new JsonFactory();

    private final Mapping m;
    private final Dates dates;
    private final Map<String, int[]> columns = new HashMap<>();
    private final Map<String, Integer> firstRow = new HashMap<>();
    /** field → source value → rows, for the values no map knew. */
    private final Map<String, Map<String, Integer>> unmapped = new TreeMap<>();

    RowMapper(Mapping mapping, List<String> header) {
        this.m = mapping;
        this.dates = new Dates(mapping.dateFormats, mapping.zone);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            index.putIfAbsent(header.get(i).toLowerCase(Locale.ROOT), i);
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : mapping.columns.entrySet()) {
            columns.put(e.getKey(), resolve(e.getValue(), index, header, problems));
        }
        for (String part : mapping.incidentKey) {
            if (!Mapping.INCIDENT_PARTS.contains(part)) {
                columns.put("incident:" + part, resolve(List.of(part), index, header, problems));
            }
        }
        if (!problems.isEmpty()) {
            throw new MappingException(problems);
        }
    }

    private int[] resolve(List<String> names, Map<String, Integer> index, List<String> header, List<String> problems) {
        int[] cols = new int[names.size()];
        for (int k = 0; k < names.size(); k++) {
            Integer i = index.get(names.get(k).toLowerCase(Locale.ROOT));
            if (i == null) {
                problems.add(m.file + ":" + m.columnLines.getOrDefault(names.get(k), 0) + ": no column \""
                        + names.get(k) + "\" in the file (its columns: " + String.join(", ", header) + ")");
                i = -1;
            }
            cols[k] = i;
        }
        return cols;
    }

    /** The event type of a step: 0 is the receipt, then {@link #STEPS} in order. */
    static String type(int step) {
        return step == 0 ? "ticket.received" : "ticket." + STEPS.get(step - 1);
    }

    Map<String, Map<String, Integer>> unmapped() {
        return unmapped;
    }

    /** Adds the row's events to {@code into} and returns null, or returns why the row is skipped. */
    Skip map(Table.Row row, List<Out> into) {
        if (row.blank()) {
            return new Skip("empty row", "");
        }
        String ticket = ticketId(row);
        if (ticket == null) {
            return new Skip("no ticket id", "column " + m.columns.get("ticket").get(0) + " is empty");
        }
        String status = text(row, "status");
        String reading = status == null ? null : m.maps.get("status").get(status);
        if (reading != null && !reading.equals(Mapping.KEEP) && !reading.equals(Mapping.OPEN)) {
            return new Skip(reading, "ticket " + ticket + ", status \"" + status + "\"");
        }
        boolean open = Mapping.OPEN.equals(reading);

        Instant received = time(row, "received");
        if (received == null) {
            String raw = text(row, "received");
            return raw == null ? new Skip("no received time", "ticket " + ticket)
                    : new Skip("unparseable date", "ticket " + ticket + ", " + column("received") + " \"" + raw + "\"");
        }
        Instant[] steps = new Instant[STEPS.size()];
        for (int k = 0; k < STEPS.size(); k++) {
            String step = STEPS.get(k);
            if (open && (step.equals("resolved") || step.equals("closed"))) {
                continue;
            }
            steps[k] = time(row, step);
            String raw = text(row, step);
            if (steps[k] == null && raw != null) {
                return new Skip("unparseable date", "ticket " + ticket + ", " + column(step) + " \"" + raw + "\"");
            }
        }
        // Latest step first, so a row whose close precedes its receipt is counted as exactly that.
        for (int k = STEPS.size() - 1; k >= 0; k--) {
            if (steps[k] != null && steps[k].isBefore(received)) {
                return new Skip(STEPS.get(k) + " before received", "ticket " + ticket + ", " + column(STEPS.get(k))
                        + " " + Times.iso(steps[k], m.zone) + " is before " + column("received") + " "
                        + Times.iso(received, m.zone));
            }
        }
        String rawPersons = text(row, "persons");
        Integer persons = rawPersons == null ? null : persons(rawPersons);
        if (rawPersons != null && persons == null) {
            return new Skip("bad persons", "ticket " + ticket + ", " + column("persons") + " \"" + rawPersons
                    + "\" is not a whole number from 1");
        }
        Integer first = firstRow.putIfAbsent(ticket, row.number());
        if (first != null) {
            return new Skip("duplicate", "ticket " + ticket + " is already on row " + first);
        }

        String kind = mapped(row, "kind", m.defaults.get("kind"), true);
        boolean complaint = kind.equals("complaint");
        String category = complaint ? mapped(row, "category", "other", true) : mapped(row, "category", null, false);
        String household = household(row);
        String building = text(row, "building");
        String incident = complaint ? incident(row, household, building, category, kind, received) : null;
        String community = m.community;
        String prefix = community + ":" + ticket + ":";

        into.add(new Out(received.toEpochMilli(), row.number(), 0, json(g -> {
            head(g, prefix + "received", "ticket.received", received, ticket);
            g.writeStringField("kind", kind);
            g.writeStringField("channel", mapped(row, "channel", m.defaults.get("channel"), true));
            optional(g, "household", household);
            optional(g, "building", building);
            optional(g, "category", category);
            if (complaint) {
                g.writeStringField("validity", mapped(row, "validity", m.defaults.get("validity"), false));
            }
            if (kind.equals("repair")) {
                g.writeStringField("urgency", mapped(row, "urgency", m.defaults.get("urgency"), false));
                optional(g, "location", mapped(row, "location", null, true)); // home or public (BJ 四.4 入户维修)
            }
            optional(g, "incident", incident);
            if (persons != null) {
                g.writeNumberField("persons", persons);
            }
            String by = text(row, "received-by");
            g.writeStringField("receivedBy", by != null ? by : m.defaults.get("received-by"));
            optional(g, "summary", joined(row, "summary"));
        })));
        for (int k = 0; k < STEPS.size(); k++) {
            Instant at = steps[k];
            if (at == null) {
                continue;
            }
            String step = STEPS.get(k);
            into.add(new Out(at.toEpochMilli(), row.number(), k + 1, json(g -> {
                head(g, prefix + step, "ticket." + step, at, ticket);
                if (step.equals("dispatched")) {
                    optional(g, "to", text(row, "dispatched-to"));
                } else if (step.equals("replied")) {
                    g.writeStringField("method", m.defaults.get("reply-method"));
                }
            })));
        }
        return null;
    }

    private static Integer persons(String text) {
        try {
            int n = Integer.parseInt(text.strip());
            return n >= 1 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String ticketId(Table.Row row) {
        if (columns.containsKey("ticket")) {
            String t = text(row, "ticket");
            return t == null ? null : t.strip();
        }
        // No id column: the row's own content names it, so the same row imported twice is one ticket.
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-1");
            for (String v : row.values()) {
                sha.update((v == null ? "" : v).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0x1F);
            }
            return "row-" + HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String column(String field) {
        return m.columns.get(field).get(0);
    }

    /** The first mapped column's non-blank text, or null. */
    private String text(Table.Row row, String field) {
        int[] cols = columns.get(field);
        if (cols == null) {
            return null;
        }
        String v = row.value(cols[0]);
        return v.isBlank() ? null : v;
    }

    /** All the field's columns' non-blank texts, joined by " / " (a value map's key, a summary). */
    private String joined(Table.Row row, String field) {
        int[] cols = columns.get(field);
        if (cols == null) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        for (int c : cols) {
            String v = row.value(c).strip();
            if (!v.isEmpty()) {
                if (b.length() > 0) {
                    b.append(" / ");
                }
                b.append(v);
            }
        }
        return b.length() == 0 ? null : b.toString();
    }

    private Instant time(Table.Row row, String field) {
        int[] cols = columns.get(field);
        if (cols == null) {
            return null;
        }
        java.time.LocalDateTime cell = row.date(cols[0]);
        if (cell != null) {
            return dates.local(cell);
        }
        String v = text(row, field);
        return v == null ? null : dates.parse(v);
    }

    /**
     * The field's value through its map; a value no key matches, or an empty one, takes
     * {@code fallback} and, when {@code count}, is counted for the summary.
     */
    private String mapped(Table.Row row, String field, String fallback, boolean count) {
        String v = joined(row, field);
        String ours = v == null ? null : m.maps.get(field).get(v);
        if (ours != null) {
            return ours;
        }
        if (count && columns.containsKey(field)) {
            unmapped.computeIfAbsent(field, f -> new TreeMap<>()).merge(v == null ? "(empty)" : v, 1, Integer::sum);
        }
        return fallback;
    }

    /** The household: the address as written, in upper case, with the strip patterns removed; null when ignored. */
    private String household(Table.Row row) {
        String v = text(row, "household");
        if (v == null) {
            return null;
        }
        String h = ValueMap.collapse(v).toUpperCase(Locale.ROOT);
        for (Pattern p : m.householdStrip) {
            h = p.matcher(h).replaceAll("").strip();
        }
        String normalized = ValueMap.normalize(h);
        for (Pattern p : m.householdIgnore) {
            if (p.matcher(normalized).matches()) {
                return null;
            }
        }
        return h.isEmpty() ? null : h;
    }

    /** The incident key: the incident column's value, else the [incident] key's parts; null if a part is missing. */
    private String incident(Table.Row row, String household, String building, String category, String kind,
                            Instant received) {
        String direct = text(row, "incident");
        if (direct != null || m.incidentKey.isEmpty()) {
            return direct == null ? null : direct.strip();
        }
        StringBuilder key = new StringBuilder();
        for (String part : m.incidentKey) {
            String v = switch (part) {
                case "household" -> household;
                case "block" -> block(household);
                case "building" -> building;
                case "category" -> category;
                case "kind" -> kind;
                case "day" -> LocalDate.ofInstant(received, m.zone).toString();
                default -> {
                    int c = columns.get("incident:" + part)[0];
                    String t = row.value(c).strip();
                    yield t.isEmpty() ? null : t;
                }
            };
            if (v == null) {
                return null;
            }
            if (key.length() > 0) {
                key.append('|');
            }
            key.append(v);
        }
        return key.toString();
    }

    /**
     * The street block of an address that starts with a house number: "3416 GARRISON BLVD" is on
     * the "3400 BLOCK GARRISON BLVD". Neighbours a few doors apart share it; an address without a
     * house number (an intersection, a room number) has none.
     */
    static String block(String household) {
        if (household == null) {
            return null;
        }
        Matcher x = HOUSE_NUMBER.matcher(household);
        if (!x.matches() || x.group(1).length() > 9) {
            return null;
        }
        long n = Long.parseLong(x.group(1));
        return (n / 100 * 100) + " BLOCK " + x.group(2);
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private String json(Fields fields) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private void head(JsonGenerator g, String id, String type, Instant at, String ticket) throws IOException {
        g.writeStringField("id", id);
        g.writeStringField("type", type);
        g.writeStringField("at", Times.iso(at, m.zone));
        g.writeStringField("community", m.community);
        g.writeStringField("ticket", ticket);
    }

    private static void optional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /** The community's registration, stamped at the first event so every ticket falls after it. */
    String registration(Instant at) {
        return json(g -> {
            g.writeStringField("id", m.community + ":registered");
            g.writeStringField("type", "community.registered");
            g.writeStringField("at", Times.iso(at, m.zone));
            g.writeStringField("community", m.community);
            optional(g, "name", m.name);
            g.writeStringField("timezone", m.zone.getId());
            optional(g, "calendar", m.calendar);
        });
    }

    static Map<String, Integer> ordered(Map<String, Integer> counts) {
        Map<String, Integer> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey())).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
