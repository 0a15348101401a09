package pm.monitor.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import pm.monitor.bench.Generator;
import pm.monitor.engine.Replay;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.finding.Json;
import pm.monitor.support.Outcome;
import pm.monitor.support.Rules;
import pm.monitor.support.TestServer;

/** The live path and the offline path are one path: the same events give the same findings and KPIs. */
@Tag("server")
class ReplayServeEquivalenceTest {

    @Test
    @DisplayName("replay and serve give the same findings and KPIs for the same events, whatever the batch boundaries")
    @SuppressWarnings("unchecked")
    void sameFindings() {
        StringWriter generated = new StringWriter();
        new Generator(3, 4, LocalDate.of(2026, 3, 2), 7, 25, 4).write(generated);
        String[] lines = generated.toString().split("\n");

        List<Replay.Input> inputs = new ArrayList<>();
        new EventReader().read(new BufferedReader(new StringReader(generated.toString())), new EventReader.Sink() {
            @Override
            public void accept(Event event, int line, String text) {
                inputs.add(new Replay.Input(event, line, line));
            }

            @Override
            public void reject(Rejection r) {
                throw new AssertionError(r.toString());
            }
        });
        String until = (String) ((Map<String, Object>) Json.parse(lines[lines.length - 1])).get("at");
        Replay.Result replay = new Replay(Rules.real(), 2).run(inputs, null, null);
        TreeSet<String> expected = Outcome.findings(replay.findings());
        assertTrue(expected.size() > 100, "a scenario with findings of many kinds: " + expected.size());

        try (TestServer server = TestServer.start("events")) {
            SplittableRandom random = new SplittableRandom(42);
            int i = 0;
            while (i < lines.length) {
                int n = 1 + random.nextInt(400);
                StringBuilder batch = new StringBuilder();
                for (int k = i; k < Math.min(lines.length, i + n); k++) {
                    batch.append(lines[k]).append('\n');
                }
                i += n;
                var r = server.post("/api/events", batch.toString());
                assertEquals(200, r.statusCode(), r.body());
                assertEquals(List.of(), TestServer.json(r).get("rejected"));
            }
            var clock = server.post("/api/clock", "{\"until\":\"" + until + "\"}");
            assertEquals(200, clock.statusCode(), clock.body());
            server.drain();
            TreeSet<String> live = Outcome.findings(server);
            assertEquals(expected, live);

            assertEquals(Outcome.kpis(replay.kpis()), Outcome.kpis(server));
        }
    }
}
