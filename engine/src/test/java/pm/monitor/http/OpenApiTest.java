package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.access.Permissions;
import pm.monitor.support.TestServer;

/**
 * docs/openapi.json against the running router: every endpoint served is described, every
 * endpoint described is served, and the access table knows the same ones. It is a valid
 * OpenAPI 3.1 document, served at /api/openapi.json as written.
 */
@Tag("server")
class OpenApiTest {
    static final Path DOC = Path.of("docs", "openapi.json");

    static SortedSet<String> described(JsonObject doc) {
        SortedSet<String> out = new TreeSet<>();
        JsonObject paths = doc.getJsonObject("paths");
        for (String p : paths.fieldNames()) {
            for (String method : paths.getJsonObject(p).fieldNames()) {
                out.add(method.toUpperCase() + " " + p);
            }
        }
        return out;
    }

    @Test
    @DisplayName("the router and docs/openapi.json name the same endpoints; so does the access table; it is served as written")
    void describedAndServedAgree() throws Exception {
        JsonObject doc = new JsonObject(Files.readString(DOC));
        try (TestServer server = TestServer.start("events")) {
            SortedSet<String> served = server.app().endpoints();
            SortedSet<String> described = described(doc);
            SortedSet<String> undescribed = new TreeSet<>(served);
            undescribed.removeAll(described);
            SortedSet<String> unserved = new TreeSet<>(described);
            unserved.removeAll(served);
            assertEquals(Set.of(), undescribed, "served but not in docs/openapi.json");
            assertEquals(Set.of(), unserved, "in docs/openapi.json but not served");
            assertTrue(served.size() >= 50, "the whole API: " + served.size());

            SortedSet<String> permitted = new TreeSet<>();
            for (Permissions.Route r : Permissions.routes()) {
                permitted.add(r.method() + " " + r.path().replaceAll(":([A-Za-z0-9_]+)", "{$1}"));
            }
            assertEquals(served, permitted, "Permissions has a line for every endpoint and no other");

            HttpResponse<String> r = server.get("/api/openapi.json");
            assertEquals(200, r.statusCode());
            assertEquals(doc, new JsonObject(r.body()), "served as docs/openapi.json says");
        }
    }

    @Test
    @DisplayName("docs/openapi.json is a valid OpenAPI 3.1 document; path parameters declared; Finding and Kpi as docs/*.schema.json")
    void validDocument() throws Exception {
        // the OpenAPI Initiative's schema of 3.1 documents, as vertx-openapi ships it (its contract
        // loader refuses what its router cannot serve, such as an NDJSON body, so it is not used)
        JsonObject meta;
        try (var in = OpenApiTest.class.getResourceAsStream("/spec.openapis.org/oas/3.1/schema/2022-10-07")) {
            meta = new JsonObject(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
        OutputUnit out = Validator.create(JsonSchema.of(meta), new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
                .setBaseUri("https://spec.openapis.org/").setOutputFormat(io.vertx.json.schema.OutputFormat.Basic)).validate(new JsonObject(Files.readString(DOC)));
        assertTrue(out.getValid(), "not an OpenAPI 3.1 document: " + out.getErrors());
        JsonObject doc = new JsonObject(Files.readString(DOC));
        JsonObject paths = doc.getJsonObject("paths");
        Pattern param = Pattern.compile("\\{([^}]+)}");
        for (String p : paths.fieldNames()) {
            Set<String> inPath = new TreeSet<>();
            Matcher m = param.matcher(p);
            while (m.find()) {
                inPath.add(m.group(1));
            }
            for (String method : paths.getJsonObject(p).fieldNames()) {
                Set<String> declared = new TreeSet<>();
                var params = paths.getJsonObject(p).getJsonObject(method).getJsonArray("parameters");
                if (params != null) {
                    params.forEach(x -> {
                        JsonObject o = (JsonObject) x;
                        if ("path".equals(o.getString("in"))) {
                            declared.add(o.getString("name"));
                        }
                    });
                }
                assertEquals(inPath, declared, method + " " + p + ": path parameters");
            }
        }
        for (String[] s : new String[][] {{"Finding", "finding.schema.json"}, {"Kpi", "kpi.schema.json"}}) {
            JsonObject file = new JsonObject(Files.readString(Path.of("docs", s[1])));
            assertEquals(file.getJsonObject("properties"), doc.getJsonObject("components").getJsonObject("schemas")
                    .getJsonObject(s[0]).getJsonObject("properties"), s[0] + " is docs/" + s[1]);
        }
    }
}
