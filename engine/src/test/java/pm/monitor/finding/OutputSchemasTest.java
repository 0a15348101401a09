package pm.monitor.finding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.bench.Generator;
import pm.monitor.engine.Replay;
import pm.monitor.support.Rules;

/**
 * docs/finding.schema.json and docs/kpi.schema.json describe what the service writes: their
 * examples validate, every finding and KPI of a replay of a generated stream validates, and
 * the fields written are the fields described.
 */
class OutputSchemasTest {

    static Validator validator(String file) throws Exception {
        JsonObject schema = new JsonObject(Files.readString(Path.of("docs", file)));
        return Validator.create(JsonSchema.of(schema), new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
                .setBaseUri("https://pm-monitor.invalid/"));
    }

    static Set<String> properties(String file) throws Exception {
        return new TreeSet<>(new JsonObject(Files.readString(Path.of("docs", file))).getJsonObject("properties")
                .fieldNames());
    }

    static void valid(Validator v, String json, String what) {
        OutputUnit out = v.validate(new JsonObject(json));
        assertTrue(out.getValid(), what + ": " + json + " " + out.getErrors());
    }

    @Test
    @DisplayName("every finding and KPI of a replay validates against its schema; the schemas' examples too")
    void replayOutputMatchesTheSchemas() throws Exception {
        Validator findings = validator("finding.schema.json");
        Validator kpis = validator("kpi.schema.json");
        for (String file : List.of("finding.schema.json", "kpi.schema.json")) {
            JsonArray examples = new JsonObject(Files.readString(Path.of("docs", file))).getJsonArray("examples");
            assertTrue(examples.size() >= 1, file + " has examples");
            for (Object ex : examples) {
                valid(validator(file), ((JsonObject) ex).encode(), file + " example");
            }
        }

        StringWriter w = new StringWriter();
        new Generator(2, 4, LocalDate.of(2026, 3, 2), 5, 20, 4).write(w);
        List<Replay.Input> inputs = Replay.read(new BufferedReader(new StringReader(w.toString())), 1).inputs();
        Instant until = inputs.stream().map(i -> i.event().at()).max(Comparator.naturalOrder()).orElseThrow();
        Replay.Result result = new Replay(Rules.real(), 2).run(inputs, until, null);
        assertTrue(result.findings().size() > 50, "a replay with findings");
        Set<String> kinds = new TreeSet<>();
        Set<String> written = new TreeSet<>();
        for (Finding f : result.findings()) {
            valid(findings, Json.line(f), f.rule());
            kinds.add(f.kind());
            written.addAll(Json.toMap(f).keySet());
        }
        assertEquals(Set.of("alert", "violation", "warning"), kinds, "every kind was checked");
        assertEquals(properties("finding.schema.json"), written, "the fields a finding is written with are the schema's");
        Set<String> kpiFields = new TreeSet<>();
        for (Kpi k : result.kpis()) {
            valid(kpis, Json.line(k), k.kpi());
            kpiFields.addAll(Json.toMap(k).keySet());
        }
        assertEquals(properties("kpi.schema.json"), kpiFields, "the fields a KPI is written with are the schema's");
    }
}
