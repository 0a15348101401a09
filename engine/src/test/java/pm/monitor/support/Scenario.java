package pm.monitor.support;

import java.io.BufferedReader;
import java.io.StringReader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import pm.monitor.engine.CommunityEngine;
import pm.monitor.event.Event;
import pm.monitor.event.EventReader;
import pm.monitor.event.Rejection;
import pm.monitor.finding.Finding;
import pm.monitor.finding.Json;
import pm.monitor.rules.RuleSet;

/**
 * One community's engine on the real rules, driven like Drools' CepTest: append events, move
 * the clock, look at the findings. Events are written in the contract's JSON with a few
 * helpers so a test reads like the handbook.
 */
public final class Scenario {
    public static final String COMMUNITY = "C001";
    private final CommunityEngine engine;
    private final List<Finding> findings = new ArrayList<>();
    private int seq;

    public Scenario() {
        this(Rules.real());
    }

    public Scenario(RuleSet rules) {
        this.engine = new CommunityEngine(COMMUNITY, rules, findings::add);
    }

    public CommunityEngine engine() {
        return engine;
    }

    /** Takes events written as JSON objects (missing id and community are filled in). */
    public Scenario given(String... json) {
        List<String> lines = new ArrayList<>();
        for (String j : json) {
            lines.addAll(List.of(j.split("\n(?=\\{)")));
        }
        for (String line : lines) {
            Map<String, Object> m = parseObject(line);
            m.putIfAbsent("id", "ev-" + (++seq));
            m.putIfAbsent("community", COMMUNITY);
            String text = Json.write(m);
            List<Event> read = new ArrayList<>();
            List<Rejection> bad = new ArrayList<>();
            new EventReader().read(new BufferedReader(new StringReader(text)), new EventReader.Sink() {
                @Override
                public void accept(Event event, int l, String t) {
                    read.add(event);
                }

                @Override
                public void reject(Rejection r) {
                    bad.add(r);
                }
            });
            if (!bad.isEmpty()) {
                throw new IllegalArgumentException("test event rejected: " + bad.get(0) + " in " + text);
            }
            engine.accept(read.get(0));
        }
        return this;
    }

    /**
     * Runs the clock to {@code time} as at the end of a replay: deadlines at it judged too, and
     * duties that wait for late events after their deadline judged without waiting.
     */
    public Scenario clockAt(String time) {
        engine.finish(OffsetDateTime.parse(time).toInstant());
        return this;
    }

    /** Runs the clock to {@code time} as the live service does: more events may still come. */
    public Scenario liveAt(String time) {
        engine.advanceTo(OffsetDateTime.parse(time).toInstant(), true);
        return this;
    }

    public List<Finding> findings() {
        return findings;
    }

    public List<Finding> findings(String rule) {
        return findings.stream().filter(f -> f.rule().equals(rule)).collect(Collectors.toList());
    }

    public List<Finding> findings(String rule, String kind) {
        return findings.stream().filter(f -> f.rule().equals(rule) && f.kind().equals(kind)).collect(Collectors.toList());
    }

    /** The only finding of a rule and kind; fails if there is none or more than one. */
    public Finding only(String rule, String kind) {
        List<Finding> l = findings(rule, kind);
        if (l.size() != 1) {
            throw new AssertionError("expected one " + kind + " of " + rule + ", got " + l.size() + ": " + l);
        }
        return l.get(0);
    }

    /** A ticket.received event: {@code received("T1", "2026-03-02T09:00:00+08:00", "\"kind\":\"complaint\",...")}. */
    public static String received(String ticket, String at, String fields) {
        return "{\"type\":\"ticket.received\",\"at\":\"" + at + "\",\"ticket\":\"" + ticket
                + "\",\"receivedBy\":\"a1\"," + fields + "}";
    }

    /** Another event of a ticket: {@code on("T1", "ticket.replied", "2026-...", "\"method\":\"phone\"")}. */
    public static String on(String ticket, String type, String at, String fields) {
        return "{\"type\":\"" + type + "\",\"at\":\"" + at + "\",\"ticket\":\"" + ticket + "\""
                + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    /** An event of no ticket: {@code event("call.missed", "2026-...", "\"call\":\"K1\"")}. */
    public static String event(String type, String at, String fields) {
        return "{\"type\":\"" + type + "\",\"at\":\"" + at + "\"" + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    /** A finding's subject, time, deadline (null: none) and role, as the catalog says they must be. */
    public static void assertFinding(Finding f, String subject, String at, String dueAt, String role) {
        org.junit.jupiter.api.Assertions.assertEquals(subject, f.subject(), "subject");
        org.junit.jupiter.api.Assertions.assertEquals(t(at), f.at(), "at");
        org.junit.jupiter.api.Assertions.assertEquals(dueAt == null ? null : t(dueAt), f.dueAt(), "dueAt");
        org.junit.jupiter.api.Assertions.assertEquals(role, f.role(), "notify");
    }

    public static Instant t(String time) {
        return OffsetDateTime.parse(time).toInstant();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseObject(String json) {
        return new LinkedHashMap<>((Map<String, Object>) Json.parse(json));
    }
}
