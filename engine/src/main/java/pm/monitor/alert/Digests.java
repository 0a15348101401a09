package pm.monitor.alert;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import pm.monitor.finding.Json;
import pm.monitor.report.Labels;
import pm.monitor.store.AlertStore;
import pm.monitor.store.DeliveryStore;
import pm.monitor.store.RosterStore;

/**
 * The digest stage (issue 19.3): a role with {@code digest.<role>} set (a local time such as
 * 08:00; the general manager's by default) is not messaged for each alert that climbs to it —
 * 215 of the GM group's first 261 messages were escalations — but once a day, at that time, with
 * what climbed to it since the last digest, per community and rule, and a link to its inbox. The
 * escalations themselves happen as before (the alert is the role's, in its inbox, and may be
 * acknowledged); emergencies (collective, major, emergency rules) never wait for a digest.
 *
 * <p>A digest is made once: its log entry ({@code digest-<role>-<date>}, action {@code digest})
 * and its deliveries' keys are per role and day, so a restart or a clock that jumps makes none
 * twice; days that passed while the service was down are made at the restart.
 */
final class Digests {
    private final Function<String, String> communityName;

    Digests(Function<String, String> communityName) {
        this.communityName = communityName;
    }

    /** Makes the digests due at or before {@code now}. @return whether messages were queued */
    boolean tick(AlertStore store, RosterStore roster, AlertParameters params, Instant now, ZoneId zone, String inboxUrl,
                 Instant wall) {
        boolean queued = false;
        for (String role : Roles.ALL) {
            LocalTime at = params.digest(role);
            if (at == null) {
                continue;
            }
            ZonedDateTime slot = now.atZone(zone).toLocalDate().atTime(at).atZone(zone);
            if (slot.toInstant().isAfter(now)) {
                slot = slot.minusDays(1);
            }
            String id = id(role, slot.toLocalDate());
            if (store.logged(id, "digest")) {
                continue;
            }
            Instant from = slot.minusDays(1).toInstant();
            List<AlertStore.Digested> items = store.digested(role, from, slot.toInstant());
            ZonedDateTime made = slot;
            boolean[] any = {false};
            store.transaction((s, d) -> {
                s.log(new LogEntry(id, made.toInstant(), "digest", role, 0, items.size() + " escalation(s)"));
                if (!items.isEmpty()) {
                    any[0] = queue(d, roster, role, id, items, made, inboxUrl, wall);
                }
            });
            queued |= any[0];
        }
        return queued;
    }

    static String id(String role, LocalDate day) {
        return "digest-" + role + "-" + day;
    }

    /** One message per destination: the communities it covers, each with its rules and counts. */
    private boolean queue(DeliveryStore d, RosterStore roster, String role, String id, List<AlertStore.Digested> items,
                          ZonedDateTime at, String inboxUrl, Instant wall) {
        Map<String, Map<String, Integer>> byCommunity = new TreeMap<>();
        for (AlertStore.Digested x : items) {
            byCommunity.computeIfAbsent(x.community(), k -> new LinkedHashMap<>()).merge(x.rule(), 1, Integer::sum);
        }
        Map<String, RosterStore.Entry> destinations = new LinkedHashMap<>();
        Map<String, List<String>> covered = new HashMap<>();
        for (String community : byCommunity.keySet()) {
            for (RosterStore.Entry e : roster.destinations(community, role)) {
                String key = e.channel() + "|" + e.address();
                destinations.putIfAbsent(key, e);
                covered.computeIfAbsent(key, k -> new ArrayList<>()).add(community);
            }
        }
        List<DeliveryStore.NewDelivery> out = new ArrayList<>();
        out.add(new DeliveryStore.NewDelivery(id, 0, role, "dashboard", role + "@digest", null, id,
                render("dashboard", role, byCommunity, List.copyOf(byCommunity.keySet()), items.size(), at, inboxUrl, List.of())));
        destinations.forEach((key, e) -> {
            List<String> communities = covered.get(key);
            int n = (int) items.stream().filter(x -> communities.contains(x.community())).count();
            out.add(new DeliveryStore.NewDelivery(id, 0, role, e.channel(), e.address(), e.id(), id,
                    render(e.channel(), role, byCommunity, communities, n, at, inboxUrl, e.mobiles())));
        });
        d.insert(out, wall);
        return true;
    }

    private String render(String channel, String role, Map<String, Map<String, Integer>> byCommunity,
                          List<String> communities, int count, ZonedDateTime at, String inboxUrl, List<String> mobiles) {
        String title = "【每日汇总】" + Labels.role(role, Labels.ZH) + "：过去一天升级而未确认的告警 " + count + " 条";
        List<String> lines = new ArrayList<>();
        for (String c : communities) {
            String name = communityName.apply(c);
            StringBuilder b = new StringBuilder("- ").append(name == null ? c : name).append("：");
            List<String> parts = new ArrayList<>();
            byCommunity.get(c).forEach((rule, n) -> parts.add(Labels.rule(rule, Labels.ZH) + (n > 1 ? " ×" + n : "")));
            lines.add(b.append(String.join("、", parts)).toString());
        }
        lines.add("截至 " + at.toLocalDate() + " " + at.toLocalTime() + "，详情：" + inboxUrl);
        String text = String.join("\n", lines);
        Map<String, Object> m = new LinkedHashMap<>();
        switch (channel) {
            case "wecom" -> {
                m.put("msgtype", mobiles.isEmpty() ? "markdown" : "text");
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("content", Formats.clip((mobiles.isEmpty() ? "**" + title + "**" : title) + "\n" + text));
                if (!mobiles.isEmpty()) {
                    body.put("mentioned_mobile_list", mobiles);
                }
                m.put(mobiles.isEmpty() ? "markdown" : "text", body);
            }
            case "dingtalk" -> {
                m.put("msgtype", "markdown");
                m.put("markdown", Map.of("title", title, "text", Formats.clip("#### " + title + "\n\n"
                        + text.replace("\n", "\n\n")) + (mobiles.isEmpty() ? "" : "\n\n"
                        + String.join(" ", mobiles.stream().map(x -> "@" + x).toList()))));
                if (!mobiles.isEmpty()) {
                    m.put("at", Map.of("atMobiles", mobiles, "isAtAll", false));
                }
            }
            case "email" -> {
                m.put("subject", title);
                m.put("text", title + "\n" + text);
                m.put("messageId", "<" + title.hashCode() + "-" + at.toLocalDate() + "@pm-monitor>");
            }
            default -> {
                m.put("type", "digest");
                m.put("role", role);
                m.put("title", title);
                m.put("text", text);
                m.put("url", inboxUrl);
                m.put("count", count);
                m.put("communities", communities);
            }
        }
        return Json.write(m);
    }
}
