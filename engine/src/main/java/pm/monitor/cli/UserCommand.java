package pm.monitor.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import pm.monitor.access.AccessService;
import pm.monitor.access.Passwords;
import pm.monitor.access.Role;
import pm.monitor.app.Config;
import pm.monitor.store.AuditStore;
import pm.monitor.store.Database;
import pm.monitor.store.TokenStore;
import pm.monitor.store.UserStore;

/**
 * {@code user add|list|disable|enable|password}: the people who log in to the dashboard with a
 * name and a password, written straight to serve's database as {@code token} does. A password is
 * read from the terminal (asked twice, not echoed) or from standard input's first line, never from
 * the command line, where the shell's history and {@code ps} would show it.
 */
final class UserCommand {
    /** Every option the command takes: --help lists each (CommandHelpTest). */
    static final List<String> OPTIONS = List.of("--role", "--communities", "--duties", "--display-name", "--by",
            "--db", "--db-user", "--db-password", "--data", "--embedded-port", "--config", "--fsync");

    static final String HELP = """
            Usage: user add NAME --role ROLE [--communities C1,C2] [--duties R1,R2] [--display-name TEXT] [database options]
                   user list [database options]
                   user disable NAME [database options]
                   user enable NAME [database options]
                   user password NAME [database options]

            People who log in to the dashboard with their user name and password (API tokens stay for
            machines: see token --help). A user has what a token has: a role, the communities it may
            see and the duties it answers for in the alerts; every permission is checked the same way.
            The password is asked for twice on a terminal (not shown), or read from the first line of
            standard input (printf '%s\\n' "$PW" | user add ...); never give it on the command line.
            At least 8 characters, at most 72 bytes. Only a bcrypt hash of it is stored.

              --role ROLE           viewer (reads), manager (reads, acknowledges alerts, silences),
                                    analyst (rules), admin (all); ingest is for machines
              --communities C1,C2   the communities the user may see (default: all)
              --duties R1,R2        the handbook roles the user answers for in the alerts, e.g.
                                    supervisor or centre_manager (as token --duties)
              --display-name TEXT   the name shown on the page, e.g. 李主管 (default: NAME)
              --by NAME             who adds, disables or changes it, for the audit (default: cli)
              --db URL, --db-user U, --db-password P, --data DIR, --embedded-port N, --config FILE,
              --fsync on|off        serve's database options (env MONITOR_DB_URL…)

            disable ends the user's sessions at once and refuses its logins (kept for the audit);
            enable lets it log in again; password sets a new one and ends its sessions.
            With the embedded PostgreSQL, stop serve first (its data folder is in use). Names are
            shared with tokens: a name is who acted in the audit log.
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Console console;

    /** @param console the terminal to ask for passwords on, or null to read them from {@code in} */
    UserCommand(PrintStream out, PrintStream err, InputStream in, Console console) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.console = console;
    }

    int run(String[] argv) {
        Args args = new Args(argv, 0, Set.copyOf(OPTIONS), Set.of());
        List<String> pos = args.positional();
        if (args.help() || pos.isEmpty()) {
            (args.help() ? out : err).print(HELP);
            return args.help() ? 0 : 2;
        }
        String action = pos.get(0);
        if (!Set.of("add", "list", "disable", "enable", "password").contains(action)) {
            throw new Args.UsageException("unknown action " + action + ": add, list, disable, enable or password");
        }
        if (!action.equals("list") && pos.size() != 2) {
            throw new Args.UsageException(action + " needs the user's name: user " + action + " NAME");
        }
        Role role = null;
        if (action.equals("add")) {
            try {
                role = Role.of(args.require("--role"));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException(e.getMessage());
            }
        }
        String password = null;
        if (action.equals("add") || action.equals("password")) {
            password = readPassword();
            if (password == null) {
                return 1;
            }
            String problem = Passwords.problem(password);
            if (problem != null) {
                err.println("user: " + problem);
                return 1;
            }
        }
        Config config = ServeCommand.config(args, false);
        try (Database db = TokenCommand.database(config)) {
            return run(action, pos, args, role, password, db);
        } catch (pm.monitor.store.DataFolderInUse e) {
            err.println("user: " + e.getMessage() + ": stop it first (请先停止正在运行的服务)");
            return 1;
        }
    }

    private int run(String action, List<String> pos, Args args, Role role, String password, Database db) {
        UserStore users = new UserStore(db.dsl());
        AuditStore audit = new AuditStore(db.dsl());
        String by = args.get("--by", "cli");
        String name = pos.size() > 1 ? pos.get(1) : null;
        switch (action) {
            case "add" -> {
                try {
                    AccessService.createUser(users, new TokenStore(db.dsl()), audit, name, args.get("--display-name"),
                            password, role, list(args.get("--communities")), list(args.get("--duties")), by);
                } catch (IllegalArgumentException e) {
                    err.println("user: " + e.getMessage());
                    return 1;
                }
                err.println("user " + name + " (" + role.id() + ") added; log in to the dashboard with its name and password");
            }
            case "list" -> {
                if (users.list().isEmpty()) {
                    err.println("no users yet: add one with user add NAME --role admin (尚无用户)");
                }
                for (UserStore.User u : users.list()) {
                    out.printf("%-24s %-12s %-8s %-24s %s%s created %s by %s%s%s%n", u.name(),
                            u.displayName() == null ? "-" : u.displayName(), u.role(),
                            u.communities() == null ? "all" : String.join(",", new TreeSet<>(u.communities())),
                            u.duties() == null ? "" : "duties " + String.join(",", new TreeSet<>(u.duties())),
                            u.duties() == null ? "" : ",", u.createdAt(), u.createdBy(),
                            u.lastLoginAt() == null ? "" : ", last login " + u.lastLoginAt(),
                            u.active() ? "" : ", DISABLED " + u.disabledAt());
                }
            }
            case "disable" -> {
                if (!AccessService.disableUser(users, audit, name, by, Instant.now())) {
                    err.println("user: no enabled user named " + name);
                    return 1;
                }
                out.println("disabled " + name + "; its sessions are ended");
            }
            case "enable" -> {
                if (!AccessService.enableUser(users, audit, name, by)) {
                    err.println("user: no disabled user named " + name);
                    return 1;
                }
                out.println("enabled " + name);
            }
            default -> {
                if (!AccessService.setPassword(users, audit, name, password, by, Instant.now())) {
                    err.println("user: no user named " + name);
                    return 1;
                }
                out.println("new password for " + name + "; its sessions are ended");
            }
        }
        return 0;
    }

    /** The password from the terminal (twice, not echoed) or standard input's first line; null when there is none. */
    private String readPassword() {
        if (console != null) {
            char[] a = console.readPassword("密码 · Password: ");
            char[] b = a == null ? null : console.readPassword("再输入一次 · Again: ");
            if (a == null || b == null || !Arrays.equals(a, b)) {
                err.println("user: the two passwords differ (两次输入的密码不一致)");
                return null;
            }
            return new String(a);
        }
        try {
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                err.println("user: give the password on standard input's first line (请从标准输入提供密码)");
                return null;
            }
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        } catch (IOException e) {
            err.println("user: cannot read the password: " + e.getMessage());
            return null;
        }
    }

    private static List<String> list(String csv) {
        return csv == null ? null : Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
