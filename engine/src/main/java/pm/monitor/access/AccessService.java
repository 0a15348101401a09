package pm.monitor.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pm.monitor.event.CommunityCodes;
import pm.monitor.store.AuditStore;
import pm.monitor.store.SessionStore;
import pm.monitor.store.TokenStore;
import pm.monitor.store.UserStore;

/**
 * Who may call the API. Access is open while no active token or user exists (a fresh install,
 * and the contract's clients, which send no token) unless {@code required}; from the first token
 * or user on, every {@code /api/*} call needs a token, or a session opened with a token or with a
 * user's name and password. A person's session carries the user's role, communities and duties,
 * as a token's carries the token's, so every permission check is the same for both.
 *
 * <p>Tokens are looked up by their SHA-256 in a cache refreshed from the database every few
 * seconds ({@link #refresh}), so a request costs no query; a token created by the CLI beside a
 * running service is found on a cache miss, a revoked one drops out at the next refresh.
 * Methods that may query the database say so: call them off the event loop.
 */
public final class AccessService {
    private static final Logger LOG = LoggerFactory.getLogger(AccessService.class);
    /** Token use is audited at most once per token per this long: one row per request would flood the log. */
    static final Duration USE_AUDIT_EVERY = Duration.ofMinutes(1);

    private final TokenStore tokens;
    private final UserStore users;
    private final SessionStore sessionStore;
    private final SessionLimits limits;
    private final AuditStore audit;
    private final Clock wall;
    private final boolean required;
    private final RateLimiter limiter;
    private volatile Map<String, Principal> byHash = Map.of();
    private volatile boolean anyToken;
    private volatile boolean anyUser;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<Long, Instant> lastAudited = new ConcurrentHashMap<>();
    private final AuthFailures failures;

    private record Session(Principal principal, Instant expiresAt) {
    }

    /**
     * @param mode {@code auto} (open until a token exists) or {@code required}
     */
    public AccessService(TokenStore tokens, UserStore users, SessionStore sessionStore, AuditStore audit, Clock wall,
                         String mode, RateLimiter limiter, SessionLimits limits) {
        if (!mode.equals("auto") && !mode.equals("required")) {
            throw new IllegalArgumentException("--auth must be auto or required, not " + mode);
        }
        this.tokens = tokens;
        this.users = users;
        this.sessionStore = sessionStore;
        this.limits = limits;
        this.audit = audit;
        this.wall = wall;
        this.required = mode.equals("required");
        this.limiter = limiter;
        this.failures = new AuthFailures(audit, wall);
    }

    /** Failed authentications, for the audit. */
    public AuthFailures failures() {
        return failures;
    }

    public RateLimiter limiter() {
        return limiter;
    }

    public AuditStore audit() {
        return audit;
    }

    public TokenStore tokens() {
        return tokens;
    }

    public UserStore users() {
        return users;
    }

    public SessionLimits sessionLimits() {
        return limits;
    }

    /** Reloads the active tokens (blocking); warns once at start when the API is open. */
    public void start() {
        refresh();
        if (!enforced()) {
            LOG.warn("no API tokens: the API is open (no users either); create one with `token create --role admin`, "
                    + "or a person with `user add NAME --role admin`");
        }
    }

    /** Reloads the active tokens from the database (blocking); writes the failed authentications' summaries. */
    public void refresh() {
        failures.flush();
        Map<String, Principal> m = new ConcurrentHashMap<>();
        for (TokenStore.Token t : tokens.active()) {
            m.put(t.hash(), principal(t));
        }
        boolean was = anyToken || anyUser;
        byHash = m;
        anyToken = !m.isEmpty();
        anyUser = users.anyActive();
        // Sessions are re-checked against the tokens on their next use: a revoked token's go.
        sessions.clear();
        if (was && !anyToken && !anyUser && !required) {
            LOG.warn("no active API tokens or users left: the API is open again");
        }
    }

    /** Whether calls need a token or a session now. */
    public boolean enforced() {
        return required || anyToken || anyUser;
    }

    /** The caller of a bearer token from the cache, or null if it is not there (then ask {@link #lookupToken}). */
    public Principal cachedToken(String token) {
        return byHash.get(Secrets.hash(token));
    }

    /** The caller of a bearer token from the database (blocking), or null if none is active. */
    public Principal lookupToken(String token) {
        TokenStore.Token t = tokens.byHash(Secrets.hash(token));
        if (t == null) {
            return null;
        }
        refresh();
        return principal(t);
    }

    public Principal cachedSession(String session) {
        Session s = sessions.get(Secrets.hash(session));
        return s != null && s.expiresAt().isAfter(wall.instant()) ? s.principal() : null;
    }

    /**
     * The caller of a session cookie from the database (blocking), or null when it ended (logged
     * out, idle too long, past its absolute end, its token revoked, its user disabled). Each use
     * slides the idle limit forward.
     */
    public Principal lookupSession(String session) {
        String hash = Secrets.hash(session);
        Instant now = wall.instant();
        SessionStore.Session s = sessionStore.find(hash, now, now.minus(limits.idle()));
        if (s == null) {
            return null;
        }
        Principal p;
        if (s.userId() != null) {
            UserStore.User u = users.activeById(s.userId());
            p = u == null ? null : principal(u);
        } else {
            TokenStore.Token t = tokens.activeById(s.tokenId());
            p = t == null ? null : principal(t);
        }
        if (p == null) {
            return null;
        }
        sessionStore.seen(hash, now, now.minus(limits.slack()));
        // trusted from memory for a short while, never past the session's own end
        Instant until = now.plus(limits.slack());
        if (s.expiresAt().isBefore(until)) {
            until = s.expiresAt();
        }
        sessions.put(hash, new Session(p, until));
        return p;
    }

    /**
     * Records a token's use, at most once a minute per token (blocking when it does). A session
     * counts as its token's use.
     */
    public void used(Principal p, String how) {
        if (p.tokenId() == 0) {
            return;
        }
        Instant now = wall.instant();
        Instant last = lastAudited.get(p.tokenId());
        if (last != null && last.plus(USE_AUDIT_EVERY).isAfter(now)) {
            return;
        }
        lastAudited.put(p.tokenId(), now);
        tokens.touch(p.tokenId(), now);
        audit.record(p.name(), "token.use", p.name(), Map.of("via", how));
    }

    public boolean useDue(Principal p) {
        if (p.tokenId() == 0) {
            return false;
        }
        Instant last = lastAudited.get(p.tokenId());
        return last == null || !last.plus(USE_AUDIT_EVERY).isAfter(wall.instant());
    }

    /** A new token (blocking): returns the secret, which is shown once and never stored. */
    public String create(String name, Role role, Collection<String> communities, String by) {
        return create(name, role, communities, null, by);
    }

    /** @param duties the handbook roles the token answers for in the alerts (null: none given) */
    public String create(String name, Role role, Collection<String> communities, Collection<String> duties, String by) {
        String token = Secrets.newToken();
        create(tokens, audit, name, role, communities, duties, by, token);
        refresh();
        return token;
    }

    /** Creates a token in the store and audits it; shared with the CLI, which has no service. */
    public static void create(TokenStore tokens, AuditStore audit, String name, Role role,
                              Collection<String> communities, String by, String token) {
        create(tokens, audit, name, role, communities, null, by, token);
    }

    public static void create(TokenStore tokens, AuditStore audit, String name, Role role,
                              Collection<String> communities, Collection<String> duties, String by, String token) {
        duties = checkGrant(tokens, name, communities, duties);
        tokens.insert(name, role.id(), communities, duties, Secrets.hash(token), by);
        audit.record(by, "token.create", name, grantDetails(role, communities, duties));
    }

    /**
     * Checks what a new token or user would be given: a free name (tokens and users share names:
     * a name is who acted in the audit), community codes, known duties. Returns the duties, null
     * when none were given.
     */
    private static Collection<String> checkGrant(TokenStore tokens, String name, Collection<String> communities,
                                                 Collection<String> duties) {
        if (name == null || !name.matches("[A-Za-z0-9._@-]{1,100}")) {
            throw new IllegalArgumentException("name: 1 to 100 letters, digits, . _ @ or -, not \"" + name + "\"");
        }
        if (tokens.exists(name)) {
            throw new IllegalArgumentException("a token or user named " + name + " exists already (names are kept after revocation)");
        }
        if (communities != null && (communities.isEmpty() || communities.contains("*"))) {
            throw new IllegalArgumentException("communities: give community codes, or none for every community");
        }
        if (communities != null) {
            for (String c : communities) {
                if (!CommunityCodes.valid(c)) {
                    throw new IllegalArgumentException("communities: " + CommunityCodes.problem(c));
                }
            }
        }
        if (duties != null) {
            for (String d : duties) {
                if (!pm.monitor.alert.Roles.known(d)) {
                    throw new IllegalArgumentException("duties: \"" + d + "\" is not a role; roles: " + pm.monitor.alert.Roles.ALL);
                }
            }
            if (duties.isEmpty()) {
                duties = null;
            }
        }
        return duties;
    }

    private static Map<String, Object> grantDetails(Role role, Collection<String> communities, Collection<String> duties) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("role", role.id());
        details.put("communities", communities == null ? null : List.copyOf(communities));
        if (duties != null) {
            details.put("duties", List.copyOf(duties));
        }
        return details;
    }

    public boolean revoke(String name, String by) {
        boolean done = revoke(tokens, audit, name, by, wall.instant());
        refresh();
        return done;
    }

    public static boolean revoke(TokenStore tokens, AuditStore audit, String name, String by, Instant at) {
        boolean done = tokens.revoke(name, at);
        if (done) {
            audit.record(by, "token.revoke", name, null);
        }
        return done;
    }

    /** Opens a dashboard session for a token (blocking); returns the session id, or null if the token is not active. */
    public String login(String token) {
        TokenStore.Token t = tokens.byHash(Secrets.hash(token));
        if (t == null) {
            return null;
        }
        String session = open(t.id(), null);
        audit.record(t.name(), "login", t.name(), Map.of("via", "token"));
        return session;
    }

    /** A session opened with a user's password. */
    public record Login(String session, Principal principal) {
    }

    /**
     * Opens a dashboard session for a person (blocking, and slow on purpose: one bcrypt check,
     * whether or not the user exists); null for an unknown user, a wrong password or a disabled
     * user alike, each recorded as a failed authentication from {@code remote}.
     */
    public Login login(String name, String password, String remote) {
        UserStore.User u = name == null || name.isBlank() ? null : users.byName(name.trim());
        boolean ok = Passwords.matches(password, u == null ? null : u.passwordHash());
        if (!ok || !u.active()) {
            failures.record(remote, ok ? AuthFailures.Reason.DISABLED : AuthFailures.Reason.PASSWORD);
            return null;
        }
        String session = open(null, u.id());
        users.loggedIn(u.id(), wall.instant());
        audit.record(u.name(), "login", u.name(), Map.of("via", "password"));
        return new Login(session, principal(u));
    }

    private String open(Long tokenId, Long userId) {
        String session = Secrets.newSession();
        Instant now = wall.instant();
        sessionStore.insert(Secrets.hash(session), tokenId, userId, now, now.plus(limits.absolute()));
        sessionStore.deleteEnded(now, now.minus(limits.idle()));
        return session;
    }

    public void logout(String session, Principal p) {
        String hash = Secrets.hash(session);
        sessions.remove(hash);
        sessionStore.delete(hash);
        audit.record(p.name(), "logout", p.name(), null);
    }

    /**
     * A new user (blocking), checked as a token is (name, communities, duties) and with a usable
     * password; shared with the CLI, which has no service.
     */
    public static void createUser(UserStore users, TokenStore tokens, AuditStore audit, String name, String displayName,
                                  String password, Role role, Collection<String> communities, Collection<String> duties,
                                  String by) {
        duties = checkGrant(tokens, name, communities, duties);
        if (displayName != null && (displayName.isBlank() || displayName.length() > 100
                || displayName.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("display name: 1 to 100 characters, no control characters");
        }
        String hash = Passwords.hash(password);
        users.insert(name, displayName == null ? null : displayName.strip(), hash, role.id(), communities, duties, by);
        audit.record(by, "user.create", name, grantDetails(role, communities, duties));
    }

    public static boolean disableUser(UserStore users, AuditStore audit, String name, String by, Instant at) {
        boolean done = users.disable(name, at);
        if (done) {
            audit.record(by, "user.disable", name, null);
        }
        return done;
    }

    public static boolean enableUser(UserStore users, AuditStore audit, String name, String by) {
        boolean done = users.enable(name);
        if (done) {
            audit.record(by, "user.enable", name, null);
        }
        return done;
    }

    /** A new password for a user (blocking); its sessions end. */
    public static boolean setPassword(UserStore users, AuditStore audit, String name, String password, String by,
                                      Instant at) {
        boolean done = users.setPassword(name, Passwords.hash(password), at);
        if (done) {
            audit.record(by, "user.password", name, null);
        }
        return done;
    }

    private static Principal principal(UserStore.User u) {
        return Principal.user(u.id(), u.name(), u.displayName(), Role.of(u.role()), u.communities(), u.duties());
    }

    private static Principal principal(TokenStore.Token t) {
        Set<String> c = t.communities();
        return new Principal(t.id(), t.name(), Role.of(t.role()), c, t.duties());
    }
}
