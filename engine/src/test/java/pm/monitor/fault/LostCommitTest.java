package pm.monitor.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jooq.ConnectionProvider;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pm.monitor.engine.Admission;
import pm.monitor.engine.Ingest;
import pm.monitor.engine.Monitor;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.event.Timestamps;
import pm.monitor.finding.Finding;
import pm.monitor.kpi.KpiBoard;
import pm.monitor.store.EventStore;
import pm.monitor.store.Migrations;
import pm.monitor.support.Outcome;
import pm.monitor.support.Rules;
import pm.monitor.support.TestDatabase;

/**
 * The one outage the outage test cannot time: the connection lost around a commit that
 * PostgreSQL made. The request is answered 503, yet its events are stored; sent again, they
 * are duplicates. Their findings must not be lost for it.
 */
@Tag("slow")
class LostCommitTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("events committed by a request answered 503 reach the engines: the findings equal a clean replay")
    void committedButUnanswered() throws Exception {
        Feed feed = new Feed(2, 3, 5, 30);
        String url = TestDatabase.freshSchemaUrl();
        AtomicBoolean loseNextCommit = new AtomicBoolean();
        DSLContext dsl = DSL.using(new Lossy(url, loseNextCommit), SQLDialect.POSTGRES);
        Migrations.apply(dsl, TestDatabase.migrations());

        List<Finding> found = Collections.synchronizedList(new ArrayList<>());
        Monitor monitor = new Monitor(Rules.real(), 2, found::addAll, new KpiBoard());
        AtomicReference<Instant> clock = new AtomicReference<>();
        EventStore store = new EventStore(dsl);
        store.countStored();
        Ingest ingest = new Ingest(store, new Admission(Rules.real()), monitor,
                latest -> monitor.advance(clock.accumulateAndGet(latest, (a, b) -> a == null || b.isAfter(a) ? b : a),
                        false), 0);
        try {
            int lost = feed.batches.size() / 2;
            for (int i = 0; i < feed.batches.size(); i++) {
                List<Ingest.Item> items = items(feed.batches.get(i));
                if (i == lost) {
                    loseNextCommit.set(true);
                    CompletionException e = assertThrows(CompletionException.class,
                            () -> ingest.submit(items, List.of()).join());
                    assertInstanceOf(Ingest.Unavailable.class, e.getCause());
                    assertTrue(new EventStore(dsl).existing(feed.batchIds.get(i)).containsAll(feed.batchIds.get(i)),
                            "the lost commit stored the batch");
                    // The client sends it again: every event is a duplicate now.
                    Ingest.Outcome again = ingest.submit(items, List.of()).join();
                    assertEquals(0, again.accepted());
                    assertEquals(items.size(), again.duplicates());
                    continue;
                }
                Ingest.Outcome o = ingest.submit(items, List.of()).join();
                assertEquals(List.of(), o.rejected());
                assertEquals(items.size(), o.accepted(), "batch " + i);
            }
            monitor.advance(Timestamps.parse(feed.until), true).join();
            monitor.barrier().join();

            TreeSet<String> live = Outcome.findings(List.copyOf(found));
            TreeSet<String> expected = feed.replayed();
            assertTrue(expected.size() > 50, "a stream with findings: " + expected.size());
            assertEquals(expected.size(), live.size(), "findings count; missing " + Feed.sample(expected, live)
                    + ", extra " + Feed.sample(live, expected));
            assertEquals(expected, live);
            // the count health reports includes what the lost commit stored, once
            assertEquals(feed.ids.size(), store.stored());
            assertEquals(store.count(), store.stored());
        } finally {
            ingest.close();
            monitor.close();
        }
    }

    private static List<Ingest.Item> items(String body) {
        List<Ingest.Item> items = new ArrayList<>();
        new EventReader().read(body, new EventReader.Sink() {
            int index;

            @Override
            public void accept(Event event, int line, String text) {
                items.add(new Ingest.Item(event, line, ++index, text));
            }

            @Override
            public void reject(Rejection r) {
                throw new AssertionError(r.toString());
            }
        });
        return items;
    }

    /** Connections whose commit, once asked to, goes through and then reports the connection lost. */
    private record Lossy(String url, AtomicBoolean loseNextCommit) implements ConnectionProvider {
        @Override
        public Connection acquire() {
            try {
                Connection real = DriverManager.getConnection(url);
                return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                            Object result;
                            try {
                                result = method.invoke(real, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                            if (method.getName().equals("commit") && loseNextCommit.getAndSet(false)) {
                                throw new SQLException("I/O error: connection reset after the commit", "08006");
                            }
                            return result;
                        });
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void release(Connection connection) {
            try {
                connection.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
