package pm.monitor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.StringReader;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.kpi.KpiBoard;
import pm.monitor.kpi.KpiRecovered;
import pm.monitor.support.Rules;

/**
 * What serve's alerts are told of a KPI back at target: the Monitor hands each recovery of its
 * communities' KPIs, once, at the event time of the value that brought it back, to whoever asked
 * ({@link Monitor#onKpiRecovered}; serve: AlertService.recovered, which resolves the alerts).
 */
class KpiRecoveriesTest {

    private static List<Event> followUps() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i <= 9; i++) {
            String at = "2026-03-10T08:0" + i + ":00+08:00";
            text.append("{\"id\":\"r").append(i).append("\",\"community\":\"C001\",\"type\":\"ticket.received\",\"at\":\"")
                    .append(at).append("\",\"ticket\":\"F").append(i)
                    .append("\",\"kind\":\"help\",\"channel\":\"phone\",\"receivedBy\":\"a1\"}\n");
            text.append("{\"id\":\"f").append(i).append("\",\"community\":\"C001\",\"type\":\"ticket.followed_up\",\"at\":\"")
                    .append(at).append("\",\"ticket\":\"F").append(i).append("\",\"satisfied\":").append(i > 0).append("}\n");
        }
        List<Event> out = new ArrayList<>();
        new EventReader().read(new BufferedReader(new StringReader(text.toString())), new EventReader.Sink() {
            @Override
            public void accept(Event event, int line, String t) {
                out.add(event);
            }

            @Override
            public void reject(Rejection r) {
                throw new IllegalArgumentException(r.toString());
            }
        });
        return out;
    }

    @Test
    @DisplayName("kpi.satisfaction of March falls at 08:00 (0/1) and is back at 85% at 08:06 (6/7): the Monitor says so once, at 08:06")
    void monitorHandsRecoveriesOn() {
        List<KpiRecovered> told = Collections.synchronizedList(new ArrayList<>());
        Monitor monitor = new Monitor(Rules.real(), 2, f -> { }, new KpiBoard()).onKpiRecovered(told::addAll);
        try {
            List<Event> events = followUps();
            long[] seqs = new long[events.size()];
            for (int i = 0; i < seqs.length; i++) {
                seqs[i] = i + 1;
            }
            monitor.submit(events, seqs).join();
            monitor.advance(OffsetDateTime.parse("2026-03-10T09:00:00+08:00").toInstant(), true).join();
            List<KpiRecovered> march = told.stream()
                    .filter(r -> r.kpi().equals("kpi.satisfaction") && r.period().equals("2026-03")).toList();
            assertEquals(1, march.size(), told.toString());
            assertEquals(OffsetDateTime.parse("2026-03-10T08:06:00+08:00").toInstant(), march.get(0).at());
            assertEquals(6, march.get(0).numerator());
            assertEquals(7, march.get(0).denominator());
        } finally {
            monitor.close();
        }
    }
}
