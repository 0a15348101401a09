package pm.monitor.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import pm.monitor.access.AccessService;
import pm.monitor.access.Role;
import pm.monitor.access.Secrets;
import pm.monitor.app.Config;
import pm.monitor.store.AuditStore;
import pm.monitor.store.Database;
import pm.monitor.store.Migrations;
import pm.monitor.store.TokenStore;

/** {@code token create|list|revoke}: API tokens, written straight to serve's database. */
final class TokenCommand {
    static final String HELP = """
            Usage: token create --role ROLE --name NAME [--communities C1,C2] [--duties R1,R2] [database options]
                   token list [database options]
                   token revoke NAME [database options]

            API tokens. While no token exists the API is open (serve logs a warning); from the first
            one on, every /api call needs "Authorization: Bearer <token>" (or a dashboard login
            with it). The token is printed once by create and never stored: only its SHA-256 is.

              --role ROLE           ingest (may only post events), viewer (reads), manager (reads,
                                    acknowledges alerts, silences), analyst (rules), admin (all)
              --name NAME           who or what holds it: shown in the audit log, never the token
              --communities C1,C2   the communities it may see (default: all)
              --duties R1,R2        the handbook roles its holder answers for in the alerts, e.g.
                                    supervisor or centre_manager: the inbox shows what is routed
                                    to them, and only those may be acknowledged (default: an
                                    admin's every role; a manager's the alert setting manager.roles)
              --by NAME             who creates or revokes it, for the audit (default: cli)

            Database options are serve's (--db, --db-user, --db-password, --data, env MONITOR_DB_URL…).
            With the embedded PostgreSQL, stop serve first (its data folder is in use), or create
            tokens with POST /api/tokens. A token created beside a running serve on a PostgreSQL
            server works within seconds.
            """;

    private final PrintStream out;
    private final PrintStream err;

    TokenCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] argv) {
        Args args = new Args(argv, 0, Set.of("--role", "--name", "--communities", "--duties", "--by", "--db", "--db-user",
                "--db-password", "--data", "--embedded-port", "--rules", "--config", "--fsync"), Set.of());
        List<String> pos = args.positional();
        if (args.help() || pos.isEmpty()) {
            (args.help() ? out : err).print(HELP);
            return args.help() ? 0 : 2;
        }
        String action = pos.get(0);
        if (!Set.of("create", "list", "revoke").contains(action)) {
            throw new Args.UsageException("unknown action " + action + ": create, list or revoke");
        }
        Role role = null;
        List<String> communities = null;
        List<String> duties = null;
        if (action.equals("create")) {
            try {
                role = Role.of(args.require("--role"));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException(e.getMessage());
            }
            args.require("--name");
            String c = args.get("--communities");
            if (c != null) {
                communities = Arrays.stream(c.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            }
            String d = args.get("--duties");
            if (d != null) {
                duties = Arrays.stream(d.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
            }
        } else if (action.equals("revoke") && pos.size() != 2) {
            throw new Args.UsageException("revoke needs the token's name: token revoke NAME");
        }
        String by = args.get("--by", "cli");
        Config config = ServeCommand.config(args, false);
        try {
            return run(action, args, pos, role, communities, duties, by, config);
        } catch (pm.monitor.store.DataFolderInUse e) {
            err.println("token: " + e.getMessage() + ": stop it first, or manage tokens through it: POST /api/tokens, "
                    + "GET /api/tokens, DELETE /api/tokens/NAME (请先停止它，或通过运行中的服务的 /api/tokens 管理令牌)");
            return 1;
        }
    }

    /** serve's database, migrated: the token and user commands write to it as serve would. */
    static Database database(Config config) {
        Database db = config.dbUrl() != null
                ? Database.connect(config.dbUrl(), config.dbUser(), config.dbPassword())
                : Database.embedded(config.dataDir().resolve("pgdata"), config.embeddedPort(), config.fsync());
        try {
            Migrations.apply(db.dsl(), config.dbDir());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    private int run(String action, Args args, List<String> pos, Role role, List<String> communities,
                    List<String> duties, String by, Config config) {
        try (Database db = database(config)) {
            TokenStore tokens = new TokenStore(db.dsl());
            AuditStore audit = new AuditStore(db.dsl());
            switch (action) {
                case "create" -> {
                    String token = Secrets.newToken();
                    try {
                        AccessService.create(tokens, audit, args.get("--name"), role, communities, duties, by, token);
                    } catch (IllegalArgumentException e) {
                        err.println("token: " + e.getMessage());
                        return 1;
                    }
                    out.println(token);
                    err.println("token " + args.get("--name") + " (" + role.id() + (communities == null ? ", all communities"
                            : ", communities " + communities) + (duties == null ? "" : ", duties " + duties) + ") created; it is shown this once, keep it safe");
                }
                case "list" -> {
                    if (tokens.list().isEmpty()) {
                        err.println("no tokens: the API is open to anyone who reaches it; create one with "
                                + "token create --role admin --name NAME (尚无令牌：接口对所有人开放)");
                    }
                    for (TokenStore.Token t : tokens.list()) {
                        out.printf("%-24s %-8s %-24s created %s by %s%s%s%n", t.name(), t.role(),
                                t.communities() == null ? "all" : String.join(",", new TreeSet<>(t.communities())),
                                t.createdAt(), t.createdBy(),
                                t.lastUsedAt() == null ? "" : ", last used " + t.lastUsedAt(),
                                t.revokedAt() == null ? "" : ", REVOKED " + t.revokedAt());
                    }
                }
                default -> {
                    if (!AccessService.revoke(tokens, audit, pos.get(1), by, Instant.now())) {
                        err.println("token: no active token named " + pos.get(1));
                        return 1;
                    }
                    out.println("revoked " + pos.get(1));
                }
            }
        }
        return 0;
    }
}
