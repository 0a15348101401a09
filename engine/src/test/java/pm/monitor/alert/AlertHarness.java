package pm.monitor.alert;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.StringReader;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import pm.monitor.engine.CommunityEngine;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;
import pm.monitor.store.Database;
import pm.monitor.store.EventStore;
import pm.monitor.store.Migrations;
import pm.monitor.store.RosterStore;
import pm.monitor.support.Rules;
import pm.monitor.support.TestDatabase;

/**
 * The alerts on a pseudo clock: the real rules engine of each community, the events stored in
 * a fresh schema of the test PostgreSQL (inhibition reads them), the findings handed to a real
 * {@link AlertService} and its clock moved only by {@link #clockAt}. Deliveries go out for real.
 */
final class AlertHarness implements AutoCloseable {
    final Database db;
    final Vertx vertx = Vertx.vertx();
    final AlertService alerts;
    final List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<Finding> findings = new ArrayList<>();
    private final EventStore events;
    private final Map<String, CommunityEngine> engines = new TreeMap<>();
    private int seq;

    AlertHarness(Map<String, String> settings) {
        db = Database.connect(TestDatabase.freshSchemaUrl(), null, null);
        Migrations.apply(db.dsl(), TestDatabase.migrations());
        events = new EventStore(db.dsl());
        Map<String, String> s = new LinkedHashMap<>();
        // Tests retry fast; production waits seconds.
        s.put("retry.initial", "50ms");
        s.put("retry.max", "200ms");
        s.putAll(settings);
        alerts = new AlertService(db.dsl(), Clock.systemUTC(), vertx, published::add);
        s.forEach((k, v) -> alerts.store().putSetting(k, v, "test"));
        alerts.startDelivery();
    }

    long roster(String community, String role, String name, String channel, String address, String secret) {
        return alerts.roster().insert(new RosterStore.Entry(0, community, role, name, channel, address, secret, true,
                "test", null));
    }

    /** Events as JSON objects (id and community C001 filled in when missing): stored, then given to their engine. */
    AlertHarness given(String... json) {
        for (String line : json) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) Json.parse(line));
            m.putIfAbsent("id", "ev-" + (++seq));
            m.putIfAbsent("community", "C001");
            String text = Json.write(m);
            List<Event> read = new ArrayList<>();
            new EventReader().read(new BufferedReader(new StringReader(text)), new EventReader.Sink() {
                @Override
                public void accept(Event event, int l, String t) {
                    read.add(event);
                }

                @Override
                public void reject(Rejection r) {
                    throw new IllegalArgumentException("test event rejected: " + r + " in " + text);
                }
            });
            Event e = read.get(0);
            events.insert(List.of(new EventStore.Stored(e, text)));
            engine(e.community()).accept(e);
            recoveries();
        }
        return this;
    }

    private CommunityEngine engine(String community) {
        return engines.computeIfAbsent(community, c -> {
            CommunityEngine e = new CommunityEngine(c, Rules.real(), f -> {
                findings.add(f);
                alerts.route(List.of(f));
            });
            e.kpis().recordRecoveries();
            return e;
        });
    }

    /** Hands the KPIs back at target to the alerts, as serve's Monitor does after each step. */
    private void recoveries() {
        engines.values().forEach(e -> alerts.recovered(e.kpis().drainRecovered()));
    }

    /** Findings made by hand (for rules the catalog does not have yet). */
    AlertHarness found(Finding... f) {
        alerts.route(List.of(f));
        findings.addAll(List.of(f));
        return this;
    }

    /** Moves every engine and the alerts to {@code time}: deadlines pass, windows close, alerts escalate. */
    AlertHarness clockAt(String time) {
        Instant t = t(time);
        engines.values().forEach(e -> e.advanceTo(t, true));
        recoveries();
        alerts.tick(t);
        return this;
    }

    static Instant t(String time) {
        return OffsetDateTime.parse(time).toInstant();
    }

    static String complaint(String ticket, String at, String household, String incident) {
        return "{\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"ticket\":\"" + ticket + "\",\"kind\":\"complaint\","
                + "\"channel\":\"phone\",\"household\":\"" + household + "\",\"category\":\"environment\","
                + "\"receivedBy\":\"a1\"" + (incident == null ? "" : ",\"incident\":\"" + incident + "\"") + "}";
    }

    @Override
    public void close() {
        alerts.close();
        vertx.close().await();
        engines.values().forEach(CommunityEngine::dispose);
        db.close();
    }
}
