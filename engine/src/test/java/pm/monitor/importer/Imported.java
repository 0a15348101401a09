package pm.monitor.importer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.finding.Json;

/** One import run in a test: its summary, its NDJSON, the events read back through the contract's reader, its skipped rows. */
record Imported(Importer.Summary summary, String ndjson, List<Event> events, List<Importer.Skipped> skipped) {

    static Imported run(Path file, Mapping mapping) throws IOException {
        StringWriter out = new StringWriter();
        List<Importer.Skipped> skipped = new ArrayList<>();
        Importer.Summary s = new Importer().run(file, mapping, new NdjsonOutput(out), new Importer.Listener() {
            @Override
            public void progress(String message) {
            }

            @Override
            public void skipped(Importer.Skipped k) {
                skipped.add(k);
            }
        });
        List<Event> events = new ArrayList<>();
        List<Rejection> bad = new ArrayList<>();
        new EventReader().read(new BufferedReader(new StringReader(out.toString())), new EventReader.Sink() {
            @Override
            public void accept(Event event, int line, String text) {
                events.add(event);
            }

            @Override
            public void reject(Rejection r) {
                bad.add(r);
            }
        });
        if (!bad.isEmpty()) {
            throw new AssertionError("the importer wrote events the contract refuses: " + bad);
        }
        return new Imported(s, out.toString(), events, skipped);
    }

    /** The skipped rows of one reason. */
    List<Importer.Skipped> skipped(String reason) {
        return skipped.stream().filter(k -> k.reason().equals(reason)).collect(Collectors.toList());
    }

    /** The JSON object of the event with this id, as written. */
    @SuppressWarnings("unchecked")
    Map<String, Object> event(String id) {
        for (String line : ndjson.split("\n")) {
            Map<String, Object> m = (Map<String, Object>) Json.parse(line);
            if (id.equals(m.get("id"))) {
                return new LinkedHashMap<>(m);
            }
        }
        throw new AssertionError("no event " + id);
    }
}
