package pm.monitor.access;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which role may call which route, in one table: what the access handler enforces and what
 * README's "Access" section describes. A route not in the table is refused to everyone (deny by
 * default), so a new endpoint is closed until someone decides who may use it. Routes are looked
 * up by the path the router matches (Vert.x's normalised path: dot segments and double slashes
 * removed, unreserved characters decoded), never the raw one: {@code /api//findings} is
 * {@code /api/findings} to both.
 *
 * <p>{@link Scope} says how a token limited to some communities is held to them: by the
 * {@code community} query parameter (checked here), by a {@code :community} path segment
 * (checked here), or by the handler, which looks at the object asked for (an alert, a silence)
 * or filters what it returns (the live streams, the directory).
 */
public final class Permissions {

    /** How a route's answer depends on communities. */
    public enum Scope {
        /** Nothing of a community: rules, labels, health, tokens. */
        NONE,
        /**
         * A {@code community} parameter (one code or a comma list) is checked; when it is
         * missing, the handler restricts the answer to the caller's communities itself.
         */
        CHECK,
        /** Like {@link #CHECK}, and a missing {@code community} parameter is set to the caller's communities. */
        FILL
    }

    /**
     * One route: method, path (segments starting with {@code :} match any one segment), roles,
     * scope, and whether {@code community=*} means every community there (the company's KPIs,
     * silences and roster entries for all); elsewhere {@code *} is no community and refused.
     */
    public record Route(String method, String path, Set<Role> roles, Scope scope, boolean all) {
        boolean matches(String m, String[] segments) {
            if (!method.equals(m)) {
                return false;
            }
            String[] own = path.substring(1).split("/");
            if (own.length != segments.length) {
                return false;
            }
            for (int i = 0; i < own.length; i++) {
                if (!own[i].startsWith(":") && !own[i].equals(segments[i])) {
                    return false;
                }
            }
            return true;
        }

        /**
         * The value of the {@code :community} segment in {@code segments}, decoded as the router
         * decodes path parameters, or null if the route has none.
         */
        String community(String[] segments) {
            String[] own = path.substring(1).split("/");
            for (int i = 0; i < own.length; i++) {
                if (own[i].equals(":community")) {
                    try {
                        return URLDecoder.decode(segments[i].replace("+", "%2B"), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        return segments[i]; // a stray %: not a community code, refused as such
                    }
                }
            }
            return null;
        }
    }

    private static final Set<Role> PUBLIC = EnumSet.noneOf(Role.class);
    private static final Set<Role> ANY = EnumSet.allOf(Role.class);
    private static final Set<Role> READ = EnumSet.of(Role.VIEWER, Role.MANAGER, Role.ANALYST, Role.ADMIN);
    private static final Set<Role> MANAGE = EnumSet.of(Role.MANAGER, Role.ADMIN);
    private static final Set<Role> RULES = EnumSet.of(Role.ANALYST, Role.ADMIN);
    private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);

    private static final List<Route> ROUTES = new ArrayList<>();

    static {
        // open to anyone: logging in needs no token, the labels are the page's own words
        add("POST", "/api/login", PUBLIC, Scope.NONE);
        add("POST", "/api/logout", PUBLIC, Scope.NONE);
        add("GET", "/api/dashboard/labels", PUBLIC, Scope.NONE);
        // probes (an orchestrator's, a load balancer's) carry no token; the answers hold nothing
        add("GET", "/api/health/live", PUBLIC, Scope.NONE);
        add("GET", "/api/health/ready", PUBLIC, Scope.NONE);
        // the API's description: what any client may learn from the README too
        add("GET", "/api/openapi.json", PUBLIC, Scope.NONE);
        // any token
        add("GET", "/api/health", ANY, Scope.NONE);
        add("GET", "/api/me", ANY, Scope.NONE);
        // senders
        add("POST", "/api/events", EnumSet.of(Role.INGEST, Role.ADMIN), Scope.NONE);
        // reading
        add("GET", "/api/findings", READ, Scope.FILL);
        add("GET", "/api/review", READ, Scope.FILL);
        add("GET", "/api/kpis", READ, Scope.CHECK, true);
        add("GET", "/api/stream", READ, Scope.CHECK);
        add("GET", "/api/rules", READ, Scope.NONE);
        add("GET", "/api/dashboard/communities", READ, Scope.CHECK);
        add("GET", "/api/dashboard/overview", READ, Scope.CHECK);
        add("GET", "/api/dashboard/trends", READ, Scope.CHECK);
        add("GET", "/api/dashboard/categories", READ, Scope.CHECK, true);
        add("GET", "/api/dashboard/tickets", READ, Scope.CHECK);
        add("GET", "/api/dashboard/tickets/:community/:ticket", READ, Scope.CHECK);
        add("GET", "/api/dashboard/times", READ, Scope.CHECK);
        // company-wide files: a token limited to some communities is refused by the route
        add("GET", "/api/dashboard/reports", READ, Scope.NONE);
        add("GET", "/api/dashboard/reports/:kind/:period", READ, Scope.NONE);
        // the page's own table sent back as a file: no community's data is read
        add("POST", "/api/dashboard/export", READ, Scope.NONE);
        add("GET", "/api/dashboard/people", READ, Scope.CHECK);
        add("GET", "/api/dashboard/people/:community/:staff", READ, Scope.CHECK);
        add("GET", "/api/dashboard/rules", READ, Scope.FILL);
        add("GET", "/api/dashboard/report", READ, Scope.CHECK);
        add("GET", "/api/alerts", READ, Scope.FILL);
        add("GET", "/api/alerts/stream", READ, Scope.CHECK);
        add("GET", "/api/alerts/settings", READ, Scope.NONE);
        add("GET", "/api/alerts/:id", READ, Scope.CHECK);
        add("GET", "/api/silences", READ, Scope.CHECK, true);
        // managers: their communities' alerts
        add("POST", "/api/alerts/:id/ack", MANAGE, Scope.CHECK);
        add("POST", "/api/silences", MANAGE, Scope.CHECK);
        add("PUT", "/api/silences/:id", MANAGE, Scope.CHECK);
        add("DELETE", "/api/silences/:id", MANAGE, Scope.CHECK);
        // analysts: the rules
        add("POST", "/api/rules/reload", RULES, Scope.NONE);
        add("POST", "/api/rules/rollback", RULES, Scope.NONE);
        add("GET", "/api/rules/versions", RULES, Scope.NONE);
        add("GET", "/api/rules/problems", RULES, Scope.NONE);
        add("GET", "/api/rules/coverage", RULES, Scope.NONE);
        add("GET", "/api/rules/stats", RULES, Scope.FILL);
        add("POST", "/api/backtests", RULES, Scope.NONE);
        add("GET", "/api/backtests/:id", RULES, Scope.NONE);
        add("DELETE", "/api/backtests/:id", RULES, Scope.NONE);
        // administrators
        add("POST", "/api/clock", ADMIN, Scope.NONE);
        add("PUT", "/api/alerts/settings", ADMIN, Scope.NONE);
        add("GET", "/api/message-templates", ADMIN, Scope.NONE);
        add("PUT", "/api/message-templates/:channel", ADMIN, Scope.NONE);
        add("DELETE", "/api/message-templates/:channel", ADMIN, Scope.NONE);
        add("GET", "/api/roster", ADMIN, Scope.NONE, true);
        add("POST", "/api/roster", ADMIN, Scope.NONE);
        add("PUT", "/api/roster/:id", ADMIN, Scope.NONE);
        add("DELETE", "/api/roster/:id", ADMIN, Scope.NONE);
        add("GET", "/api/deliveries", ADMIN, Scope.NONE);
        add("GET", "/api/deliveries/:id", ADMIN, Scope.NONE);
        add("GET", "/api/tokens", ADMIN, Scope.NONE);
        add("POST", "/api/tokens", ADMIN, Scope.NONE);
        add("DELETE", "/api/tokens/:name", ADMIN, Scope.NONE);
        add("GET", "/api/audit", ADMIN, Scope.NONE);
        // Prometheus's scrape (outside /api, under its usual path): counts and names of communities
        add("GET", "/metrics", ADMIN, Scope.NONE);
    }

    private Permissions() {
    }

    private static void add(String method, String path, Set<Role> roles, Scope scope) {
        add(method, path, roles, scope, false);
    }

    private static void add(String method, String path, Set<Role> roles, Scope scope, boolean all) {
        ROUTES.add(new Route(method, path, roles, scope, all));
    }

    public static List<Route> routes() {
        return List.copyOf(ROUTES);
    }

    /**
     * The route a call matches, or null when none does (then nobody may call it).
     *
     * @param path the path as the router matches it: {@code RoutingContext.normalizedPath()}
     */
    public static Route route(String method, String path) {
        String[] segments = segments(path);
        // HEAD is answered like GET
        String m = method.equals("HEAD") ? "GET" : method;
        for (Route r : ROUTES) {
            if (r.matches(m, segments)) {
                return r;
            }
        }
        return null;
    }

    /** Whether the route needs no token at all. */
    public static boolean open(Route r) {
        return r.roles().isEmpty();
    }

    public static boolean allows(Route r, Role role) {
        return r.roles().isEmpty() || r.roles().contains(role);
    }

    public static String pathCommunity(Route r, String path) {
        return r.community(segments(path));
    }

    private static String[] segments(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return p.substring(1).split("/");
    }
}
