package pm.monitor.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pm.monitor.bench.Generator;
import pm.monitor.engine.CommunityEngine;
import pm.monitor.engine.Replay;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;
import pm.monitor.support.Rules;

/**
 * The People page's figures against what the engine emitted: generated months with the front desk,
 * the engineers and the building managers spread over several staff ids, replayed on the real
 * rules. The rows must add up to the community's total, and the total's breaches must be the
 * time-limit violations that were emitted in the period (a different path: findings as they were
 * found, not duties as they stand).
 */
class PeopleTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    /** The generator's events with receivedBy and dispatch targets spread over several people. */
    private static String events(long seed) {
        StringWriter w = new StringWriter();
        new Generator(2, 40, LocalDate.of(2026, 3, 1), seed, 14, 4).write(w);
        Random r = new Random(seed);
        StringBuilder out = new StringBuilder();
        for (String line : w.toString().split("\n")) {
            line = line.replace("\"receivedBy\":\"a1\"", "\"receivedBy\":\"FD" + (1 + r.nextInt(12)) + "\"")
                    .replace("\"to\":\"engineering\"", "\"to\":\"ENG" + (1 + r.nextInt(3)) + "\"");
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private record Run(Replay.Result result, String events) {
    }

    private static Run replay(long seed) throws Exception {
        String text = events(seed);
        var inputs = Replay.read(new BufferedReader(new StringReader(text)), 1).inputs();
        return new Run(new Replay(Rules.real(), 1).run(inputs, null, null), text);
    }

    @SuppressWarnings("unchecked")
    private static long n(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 17, 2026})
    @DisplayName("per person and per role, the figures add up to the community's, and its breaches are the violations emitted in the month")
    @SuppressWarnings("unchecked")
    void rowsAddUpToTheCommunity(long seed) throws Exception {
        Run run = replay(seed);
        Instant from = LocalDate.of(2026, 3, 1).atStartOfDay(ZONE).toInstant();
        Instant to = LocalDate.of(2026, 4, 1).atStartOfDay(ZONE).toInstant();
        assertFalse(run.result().engines().isEmpty());
        for (Map.Entry<String, CommunityEngine> en : run.result().engines().entrySet()) {
            String code = en.getKey();
            Map<String, Object> table = People.collect(en.getValue(), "小区", from, to).table();
            Map<String, Object> total = (Map<String, Object>) table.get("total");
            List<Map<String, Object>> people = (List<Map<String, Object>>) table.get("people");
            List<Map<String, Object>> roles = (List<Map<String, Object>>) table.get("roles");
            Map<String, Object> unnamed = (Map<String, Object>) table.get("unnamed");
            assertEquals("小区", total.get("label"), "the community's own total is labelled with its name");

            for (String key : List.of("owned", "met", "breached", "open")) {
                long persons = people.stream().mapToLong(p -> n(p, key)).sum() + n(unnamed, key);
                assertEquals(n(total, key), persons, code + " " + key + ": people + unnamed");
                assertEquals(n(total, key), roles.stream().mapToLong(p -> n(p, key)).sum(), code + " " + key + ": roles");
            }
            // Tickets taken: the ticket.received events of the month, counted from the events sent.
            Map<String, Long> receivedBy = new TreeMap<>();
            for (String line : run.events().split("\n")) {
                Map<String, Object> e = (Map<String, Object>) Json.parse(line);
                Instant at = OffsetDateTime.parse((String) e.get("at")).toInstant();
                if (code.equals(e.get("community")) && "ticket.received".equals(e.get("type"))
                        && !at.isBefore(from) && at.isBefore(to)) {
                    receivedBy.merge((String) e.get("receivedBy"), 1L, Long::sum);
                }
            }
            Map<String, Long> shown = new TreeMap<>();
            people.forEach(p -> {
                if (n(p, "tickets") > 0) {
                    shown.put((String) p.get("staff"), n(p, "tickets"));
                }
            });
            assertEquals(receivedBy, shown, code + ": tickets taken per person");
            assertEquals(receivedBy.values().stream().mapToLong(Long::longValue).sum(), n(total, "tickets"));
            assertTrue(receivedBy.size() > 3, "several people took tickets");

            // Breaches per rule: the time-limit violations emitted with a deadline in the month.
            Map<String, Long> emitted = new TreeMap<>();
            Map<String, Long> emittedByOwner = new TreeMap<>();
            for (Finding f : run.result().findings()) {
                if (f.community().equals(code) && f.kind().equals(Finding.VIOLATION) && f.details().containsKey("deadline")
                        && f.dueAt() != null && f.dueAt().isAfter(from) && !f.dueAt().isAfter(to)) {
                    emitted.merge(f.rule(), 1L, Long::sum);
                    assertNotNull(f.details().get("ownerRole"), "a breach names its owner's role: " + f.rule());
                    Object owner = f.details().get("owner");
                    if (owner != null) {
                        emittedByOwner.merge((String) owner, 1L, Long::sum);
                    }
                }
            }
            Map<String, Long> counted = new TreeMap<>();
            for (Map<String, Object> p : people) {
                ((Map<String, Long>) p.get("breaches")).forEach((r, c) -> counted.merge(r, c, Long::sum));
            }
            ((Map<String, Long>) unnamed.get("breaches")).forEach((r, c) -> counted.merge(r, c, Long::sum));
            assertEquals(emitted, counted, code + ": breaches per rule");
            assertEquals(emitted, total.get("breaches"), code + ": the total's breaches per rule");
            Map<String, Long> perPerson = new TreeMap<>();
            people.forEach(p -> {
                if (n(p, "breached") > 0) {
                    perPerson.put((String) p.get("staff"), n(p, "breached"));
                }
            });
            assertEquals(emittedByOwner, perPerson, code + ": breaches per person, as the findings name them");
            assertTrue(n(total, "breached") > 0 && n(total, "met") > 0, "the month has both");
            assertTrue(people.stream().anyMatch(p -> ((List<?>) p.get("roles")).contains("building_manager")),
                    "building managers own their patrol days");
            assertTrue(people.stream().anyMatch(p -> ((List<?>) p.get("roles")).contains("engineering")),
                    "engineers own their arrivals");
        }
    }

    @org.junit.jupiter.api.Test
    @DisplayName("a person's page lists their breaches first, each with its ticket, and adds up to their row")
    @SuppressWarnings("unchecked")
    void aPersonsLimitsAddUpToTheirRow() throws Exception {
        Run run = replay(5);
        Instant from = LocalDate.of(2026, 3, 1).atStartOfDay(ZONE).toInstant();
        Instant to = LocalDate.of(2026, 4, 1).atStartOfDay(ZONE).toInstant();
        CommunityEngine e = run.result().engines().values().iterator().next();
        People people = People.collect(e, null, from, to);
        List<Map<String, Object>> rows = (List<Map<String, Object>>) people.table().get("people");
        Map<String, Object> worst = rows.get(0);
        assertTrue(n(worst, "breached") > 0, "the first row has breaches: " + worst);
        Map<String, Object> page = people.person((String) worst.get("staff"));
        for (String key : List.of("tickets", "owned", "met", "breached", "open")) {
            assertEquals(n(worst, key), n(page, key), key);
        }
        List<Map<String, Object>> limits = (List<Map<String, Object>>) page.get("limits");
        assertEquals(n(worst, "owned"), limits.size());
        Map<String, Integer> states = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (Map<String, Object> l : limits) {
            states.merge((String) l.get("state"), 1, Integer::sum);
            order.add((String) l.get("state"));
        }
        assertEquals(n(worst, "breached"), (long) states.getOrDefault("breached", 0));
        assertEquals("breached", order.get(0));
        assertTrue(order.lastIndexOf("breached") < Math.max(order.indexOf("met"), order.size()),
                "breaches come first: " + order);
    }
}
