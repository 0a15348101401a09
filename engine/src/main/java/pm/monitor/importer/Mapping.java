package pm.monitor.importer;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import pm.monitor.event.CommunityCodes;
import pm.monitor.event.Vocabulary;

/**
 * What a mapping file says about one export: which column is what, how its dates are written,
 * and how its values become the contract's. The format is documented in {@code import/README.md};
 * in short, sections of {@code key = value} lines, {@code #} starting a comment line:
 *
 * <pre>
 * [source]     encoding, delimiter, sheet, header-row, format
 * [community]  code, name, timezone, calendar
 * [columns]    field = column (or column + column)
 * [dates]      format = pattern (several, tried in order)
 * [defaults]   kind, channel, validity, urgency, received-by, reply-method
 * [household]  strip = regex, ignore = pattern
 * [incident]   key = part, part, ...
 * [kind] [category] [channel] [validity] [urgency] [status] [location]   source value = ours
 * </pre>
 *
 * Every problem is collected with its line, so one run of the importer shows them all.
 */
public final class Mapping {
    /** The fields a column can feed; the event times first. */
    static final List<String> TIME_FIELDS = List.of("received", "contacted", "dispatched", "resolved", "replied",
            "closed");
    static final Set<String> FIELDS = Set.of("ticket", "received", "contacted", "dispatched", "resolved", "replied",
            "closed", "kind", "category", "channel", "validity", "urgency", "status", "household", "building",
            "incident", "persons", "received-by", "dispatched-to", "summary", "location");
    static final List<String> MAPS = List.of("kind", "category", "channel", "validity", "urgency", "status",
            "location");
    /** What an incident key can be built of, besides a column's own value. */
    static final Set<String> INCIDENT_PARTS = Set.of("household", "block", "building", "category", "kind", "day");
    /** A status that keeps the row; any other word skips it, and is the reason counted. */
    static final String KEEP = "keep";
    /** A status that keeps the row but drops its resolved and closed events (the ticket is still open). */
    static final String OPEN = "open";

    final String file;
    String format;
    Charset encoding;
    Character delimiter;
    String sheet;
    int headerRow = 1;
    String community;
    String name;
    ZoneId zone = ZoneId.of("Asia/Shanghai");
    String calendar;
    /** Whether to register the community: only a registration carries its zone and calendar to the rules. */
    boolean register;
    final Map<String, List<String>> columns = new LinkedHashMap<>();
    final List<String> dateFormats = new ArrayList<>();
    final Map<String, String> defaults = new LinkedHashMap<>();
    final List<Pattern> householdStrip = new ArrayList<>();
    final List<Pattern> householdIgnore = new ArrayList<>();
    final List<String> incidentKey = new ArrayList<>();
    final Map<String, ValueMap> maps = new LinkedHashMap<>();
    /** Where each column name was written, for problems found once the header is known. */
    final Map<String, Integer> columnLines = new LinkedHashMap<>();

    private Mapping(String file) {
        this.file = file;
        for (String m : MAPS) {
            maps.put(m, new ValueMap());
        }
        defaults.put("received-by", "import");
        defaults.put("reply-method", "phone");
        defaults.put("validity", "valid");
        defaults.put("urgency", "normal");
    }

    public static Mapping load(Path path) throws IOException {
        return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    }

    /** @throws MappingException with every problem, each as {@code file:line: message} */
    public static Mapping parse(String text, String file) {
        Mapping m = new Mapping(file);
        List<String> problems = new ArrayList<>();
        String section = null;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String line = lines[i].strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip().toLowerCase(Locale.ROOT);
                if (!Set.of("source", "community", "columns", "dates", "defaults", "household", "incident")
                        .contains(section) && !MAPS.contains(section)) {
                    problems.add(file + ":" + no + ": unknown section [" + section + "]");
                }
                continue;
            }
            if (section == null) {
                problems.add(file + ":" + no + ": a line before the first [section]");
                continue;
            }
            // A value map's key is the source's own text, which may hold '='; our values never do.
            int eq = MAPS.contains(section) ? line.lastIndexOf('=') : line.indexOf('=');
            if (eq <= 0) {
                problems.add(file + ":" + no + ": expected key = value");
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            try {
                m.set(section, key, value, no);
            } catch (IllegalArgumentException e) {
                problems.add(file + ":" + no + ": " + e.getMessage());
            }
        }
        if (m.community == null) {
            problems.add(file + ": [community] code is required (the community the events belong to)");
        }
        if (!m.columns.containsKey("received")) {
            problems.add(file + ": [columns] received is required (the column with the time a ticket was received)");
        }
        for (String d : List.of("kind", "channel")) {
            if (!m.defaults.containsKey(d)) {
                problems.add(file + ": [defaults] " + d + " is required (used when a row's " + d
                        + " is empty or not in [" + d + "])");
            }
        }
        if (m.dateFormats.isEmpty()) {
            m.dateFormats.addAll(Dates.DEFAULT_FORMATS);
        }
        if (!problems.isEmpty()) {
            throw new MappingException(problems);
        }
        return m;
    }

    private void set(String section, String key, String value, int line) {
        String k = key.toLowerCase(Locale.ROOT);
        if (MAPS.contains(section)) {
            maps.get(section).put(key, target(section, value));
            return;
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(key + " has no value");
        }
        switch (section) {
            case "source" -> {
                switch (k) {
                    case "format" -> format = oneOf(k, value.toLowerCase(Locale.ROOT), Set.of("csv", "xlsx"));
                    case "encoding" -> encoding = value.equalsIgnoreCase("auto") ? null : charset(value);
                    case "delimiter" -> delimiter = delimiter(value);
                    case "sheet" -> sheet = value;
                    case "header-row" -> headerRow = positive(k, value);
                    default -> throw unknown(section, key, "format, encoding, delimiter, sheet, header-row");
                }
            }
            case "community" -> {
                switch (k) {
                    case "code" -> {
                        community = value;
                        if (!CommunityCodes.valid(value)) {
                            throw new IllegalArgumentException("code: " + CommunityCodes.problem(value));
                        }
                    }
                    case "name" -> {
                        name = value;
                        register = true;
                    }
                    case "timezone" -> {
                        try {
                            zone = ZoneId.of(value);
                        } catch (RuntimeException e) {
                            throw new IllegalArgumentException("unknown time zone \"" + value
                                    + "\" (e.g. Asia/Shanghai, America/New_York)");
                        }
                        register = true;
                    }
                    case "calendar" -> {
                        calendar = value;
                        register = true;
                    }
                    default -> throw unknown(section, key, "code, name, timezone, calendar");
                }
            }
            case "columns" -> {
                if (!FIELDS.contains(k)) {
                    throw unknown(section, key, String.join(", ", new java.util.TreeSet<>(FIELDS)));
                }
                if (columns.containsKey(k)) {
                    throw new IllegalArgumentException(key + " is given twice");
                }
                List<String> names = new ArrayList<>();
                for (String c : value.split("\\s\\+\\s")) {
                    names.add(c.strip());
                    columnLines.putIfAbsent(c.strip(), line);
                }
                if (TIME_FIELDS.contains(k) && names.size() > 1) {
                    throw new IllegalArgumentException(key + " is a time: one column, not " + value);
                }
                columns.put(k, names);
            }
            case "dates" -> {
                if (!k.equals("format")) {
                    throw unknown(section, key, "format");
                }
                try {
                    Dates.formatter(value);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("bad date format \"" + value + "\": " + e.getMessage());
                }
                dateFormats.add(value);
            }
            case "defaults" -> {
                switch (k) {
                    case "kind", "channel", "validity", "urgency" -> defaults.put(k, target(k, value));
                    case "received-by" -> defaults.put(k, value);
                    case "reply-method" -> defaults.put(k, vocabulary(k, value, Vocabulary.REPLY_METHOD));
                    default -> throw unknown(section, key, "kind, channel, validity, urgency, received-by, reply-method");
                }
            }
            case "household" -> {
                switch (k) {
                    case "strip" -> householdStrip.add(regex(value));
                    case "ignore" -> householdIgnore.add(ValueMap.glob(ValueMap.normalize(value)));
                    default -> throw unknown(section, key, "strip, ignore");
                }
            }
            case "incident" -> {
                if (!k.equals("key")) {
                    throw unknown(section, key, "key");
                }
                for (String part : value.split(",")) {
                    String p = part.strip();
                    if (p.isEmpty()) {
                        throw new IllegalArgumentException("an empty part in the incident key");
                    }
                    if (!INCIDENT_PARTS.contains(p.toLowerCase(Locale.ROOT))) {
                        columnLines.putIfAbsent(p, line);
                    }
                    incidentKey.add(INCIDENT_PARTS.contains(p.toLowerCase(Locale.ROOT)) ? p.toLowerCase(Locale.ROOT) : p);
                }
            }
            default -> throw new IllegalArgumentException("unknown section [" + section + "]");
        }
    }

    /** A value map's target, checked against the contract's closed sets. */
    private static String target(String field, String value) {
        return switch (field) {
            case "kind" -> vocabulary(field, value, Vocabulary.KIND);
            case "category" -> vocabulary(field, value, Vocabulary.CATEGORY);
            case "channel" -> vocabulary(field, value, Vocabulary.CHANNEL);
            case "validity" -> vocabulary(field, value, Vocabulary.VALIDITY);
            case "urgency" -> vocabulary(field, value, Vocabulary.URGENCY);
            case "location" -> vocabulary(field, value, Vocabulary.LOCATION);
            case "status" -> {
                if (!value.matches("[a-z][a-z -]*")) {
                    throw new IllegalArgumentException("a status maps to keep, open, or a reason to skip the row "
                            + "in lower-case words (e.g. duplicate), not \"" + value + "\"");
                }
                yield value;
            }
            default -> throw new IllegalArgumentException("no value map for " + field);
        };
    }

    private static String vocabulary(String field, String value, Vocabulary.Values allowed) {
        String c = allowed.canonical(value);
        if (c == null) {
            throw new IllegalArgumentException("unknown " + field + " \"" + value + "\" (one of " + allowed + ")");
        }
        return c;
    }

    private static IllegalArgumentException unknown(String section, String key, String known) {
        return new IllegalArgumentException("unknown key \"" + key + "\" in [" + section + "] (known: " + known + ")");
    }

    private static String oneOf(String key, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(key + " must be one of " + allowed + ", not " + value);
        }
        return value;
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown encoding \"" + name + "\" (e.g. UTF-8, GBK, GB18030, auto)");
        }
    }

    private static Character delimiter(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "auto" -> null;
            case "tab", "\\t" -> '\t';
            case "comma" -> ',';
            case "semicolon" -> ';';
            case "pipe" -> '|';
            default -> {
                if (value.length() != 1) {
                    throw new IllegalArgumentException("delimiter must be one character, tab, or auto, not \""
                            + value + "\"");
                }
                yield value.charAt(0);
            }
        };
    }

    private static int positive(String key, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is wanted
        }
        throw new IllegalArgumentException(key + " must be a whole number from 1, not " + value);
    }

    private static Pattern regex(String value) {
        try {
            return Pattern.compile(value, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad regular expression \"" + value + "\": " + e.getDescription());
        }
    }
}
