package pm.monitor.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/events/TYPE.schema.json is the contract's event format, one JSON Schema per type. It
 * must say what the parser does, so the two cannot drift apart: every example validates and
 * parses; the schema's properties are the fields the parser reads into its record; and for
 * every property removed, every enum value, every bound and a wrong type, the schema and the
 * parser give the same verdict. NDJSON examples in docs/*.md are checked too.
 */
class EventSchemasTest {
    static final Path DIR = Path.of("docs", "events");
    static final Set<String> COMMON = Set.of("id", "type", "at", "community");

    static Stream<String> types() {
        return EventTypes.all().stream();
    }

    static JsonObject schema(String type) {
        try {
            return new JsonObject(Files.readString(DIR.resolve(type + ".schema.json")));
        } catch (IOException e) {
            throw new AssertionError("no schema for " + type + " in " + DIR, e);
        }
    }

    static Validator validator(JsonObject schema) {
        return Validator.create(JsonSchema.of(schema.copy()), new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
                .setBaseUri("https://pm-monitor.invalid/"));
    }

    /** The parser's verdict on one line: null when accepted, else the rejection. */
    static Rejection parse(JsonObject event, List<Event> into) {
        Rejection[] rejected = {null};
        new EventReader().read(event.encode(), new EventReader.Sink() {
            @Override
            public void accept(Event e, int line, String text) {
                into.add(e);
            }

            @Override
            public void reject(Rejection r) {
                rejected[0] = r;
            }
        });
        return rejected[0];
    }

    /** Schema and parser agree on {@code event}; returns whether it is valid. */
    static boolean agree(Validator v, JsonObject event, String what) {
        OutputUnit out = v.validate(event);
        Rejection r = parse(event, new ArrayList<>());
        assertEquals(r == null, out.getValid(), what + ": the parser says " + (r == null ? "accepted" : r)
                + ", the schema says " + (out.getValid() ? "valid" : out.getErrors()) + " for " + event.encode());
        return r == null;
    }

    @Test
    @DisplayName("one schema per event type the parser knows, and no other")
    void oneSchemaPerType() throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(DIR)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".schema.json"))
                    .forEach(n -> files.add(n.substring(0, n.length() - ".schema.json".length())));
        }
        assertEquals(new TreeSet<>(EventTypes.all()), files);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    @DisplayName("schema and parser agree: examples, fields, required fields, enums, bounds, types")
    void schemaMatchesParser(String type) {
        JsonObject schema = schema(type);
        Validator v = validator(schema);
        JsonObject props = schema.getJsonObject("properties");
        assertEquals(new JsonObject().put("const", type), props.getJsonObject("type"));
        JsonArray examples = schema.getJsonArray("examples");
        assertNotNull(examples, type + ": no examples");
        assertFalse(examples.isEmpty());
        JsonObject first = examples.getJsonObject(0);
        // the first example sets every field, so that each can be taken away and varied
        assertEquals(props.fieldNames(), first.fieldNames(), type + ": the first example sets every property");

        for (int i = 0; i < examples.size(); i++) {
            JsonObject ex = examples.getJsonObject(i);
            List<Event> parsed = new ArrayList<>();
            assertTrue(v.validate(ex).getValid(), type + " example " + i + " is not valid: " + v.validate(ex).getErrors());
            assertEquals(null, parse(ex, parsed), type + " example " + i + " is refused by the parser");
            Event e = parsed.get(0);
            assertEquals(type, e.type());
            assertEquals(java.util.Map.of(), e.extra(), type + ": the parser reads every field of the example");
            if (i == 0) {
                // the schema's fields are the record's: a field added to one must be added to the other
                Set<String> components = new TreeSet<>();
                for (RecordComponent c : e.getClass().getRecordComponents()) {
                    components.add(c.getName());
                }
                components.removeAll(Set.of("id", "at", "community", "extra"));
                Set<String> own = new TreeSet<>(props.fieldNames());
                own.removeAll(COMMON);
                assertEquals(components, own, type + ": schema properties against " + e.getClass().getSimpleName());
            }
            // each field taken away: the same verdict; a top-level required one is refused by its name
            for (String p : ex.fieldNames()) {
                JsonObject without = ex.copy();
                without.remove(p);
                boolean accepted = agree(v, without, type + " without " + p);
                if (schema.getJsonArray("required").contains(p)) {
                    assertFalse(accepted, type + ": " + p + " is required");
                    Rejection r = parse(without, new ArrayList<>());
                    assertEquals(p, r.field(), type + ": the rejection names " + p);
                }
            }
            // unknown extra fields are kept, not rejected
            assertTrue(agree(v, ex.copy().put("crmRef", "X-7"), type + " with an extra field"));
        }

        for (String p : props.fieldNames()) {
            if (COMMON.contains(p)) {
                continue;
            }
            JsonObject prop = props.getJsonObject(p);
            Object jsonType = prop.getValue("type");
            if (prop.containsKey("enum")) {
                for (Object value : prop.getJsonArray("enum")) {
                    assertTrue(agree(v, first.copy().put(p, value), type + "." + p + " = " + value));
                }
                assertFalse(agree(v, first.copy().put(p, "no-such-value"), type + "." + p + " unknown value"));
            }
            if ("integer".equals(jsonType)) {
                long min = prop.getLong("minimum");
                long max = prop.getLong("maximum");
                assertTrue(agree(v, first.copy().put(p, min), type + "." + p + " = min"));
                assertTrue(agree(v, first.copy().put(p, max), type + "." + p + " = max"));
                assertFalse(agree(v, first.copy().put(p, min - 1), type + "." + p + " below min"));
                assertFalse(agree(v, first.copy().put(p, max + 1), type + "." + p + " above max"));
                assertFalse(agree(v, first.copy().put(p, "3"), type + "." + p + " as a string"));
            }
            if ("boolean".equals(jsonType)) {
                assertFalse(agree(v, first.copy().put(p, "yes"), type + "." + p + " as a string"));
            }
            if ("string".equals(jsonType)) {
                assertFalse(agree(v, first.copy().put(p, 7), type + "." + p + " as a number"));
                if ("date-time".equals(prop.getString("format"))) {
                    assertFalse(agree(v, first.copy().put(p, "2026-03-02T09:00:00"), type + "." + p + " without offset"));
                }
                if (Integer.valueOf(1).equals(prop.getInteger("minLength"))) {
                    assertFalse(agree(v, first.copy().put(p, ""), type + "." + p + " empty"));
                }
            }
        }
        assertFalse(agree(v, first.copy().put("at", "2026-03-02T09:00:00"), type + ".at without offset"));
        assertFalse(agree(v, first.copy().put("community", "C001,C002"), type + ".community not a code"));
    }

    private static final Pattern NDJSON_BLOCK = Pattern.compile("```(?:ndjson|json)\\n(.*?)```", Pattern.DOTALL);

    @Test
    @DisplayName("every event example in docs/*.md validates against its type's schema and parses")
    void examplesInTheDocs() throws IOException {
        int checked = 0;
        try (Stream<Path> s = Files.list(Path.of("docs"))) {
            for (Path md : s.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                Matcher m = NDJSON_BLOCK.matcher(Files.readString(md));
                while (m.find()) {
                    for (String line : m.group(1).split("\n")) {
                        if (!line.startsWith("{")) {
                            continue;
                        }
                        JsonObject event = new JsonObject(line);
                        if (!event.containsKey("type") || event.containsKey("rule")) {
                            continue; // not an event (a finding, a KPI, an answer)
                        }
                        String type = event.getString("type");
                        assertTrue(EventTypes.known(type), md + ": unknown type in " + line);
                        OutputUnit out = validator(schema(type)).validate(event);
                        assertTrue(out.getValid(), md + ": " + line + " " + out.getErrors());
                        assertEquals(null, parse(event, new ArrayList<>()), md + ": " + line);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked >= 10, "the docs show events: " + checked);
    }
}
