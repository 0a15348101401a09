package pm.monitor.support;

import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pm.monitor.bench.Generator;
import pm.monitor.engine.Replay;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.finding.Json;

/**
 * A generator's events three ways: the NDJSON lines to post, the inputs of a {@link Replay}, and
 * the time of the last one (where {@code POST /api/clock} moves the clock to end a run).
 */
public record Generated(String[] lines, List<Replay.Input> inputs, String until) {

    @SuppressWarnings("unchecked")
    public static Generated of(Generator generator) {
        StringWriter out = new StringWriter();
        generator.write(out);
        String[] lines = out.toString().split("\n");
        List<Replay.Input> inputs = new ArrayList<>();
        new EventReader().read(new BufferedReader(new StringReader(out.toString())), new EventReader.Sink() {
            @Override
            public void accept(Event event, int line, String text) {
                inputs.add(new Replay.Input(event, line, line));
            }

            @Override
            public void reject(Rejection r) {
                throw new AssertionError("the generator wrote an event the contract rejects: " + r);
            }
        });
        String until = (String) ((Map<String, Object>) Json.parse(lines[lines.length - 1])).get("at");
        return new Generated(lines, inputs, until);
    }
}
