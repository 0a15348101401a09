package pm.monitor.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the embedded PostgreSQL's data folder needs before each start, done while the library
 * holds the folder's lock and before the server runs (its data-directory customizer):
 *
 * <ul>
 *   <li><b>An orphaned server is stopped.</b> A {@code serve} killed with SIGKILL leaves its
 *   PostgreSQL running on the folder; a new server on it would refuse to start. The folder's
 *   {@code postmaster.pid} names it; the library's lock, which only a live {@code serve} holds,
 *   proves nobody else owns it.</li>
 *   <li><b>Password authentication.</b> The library's {@code initdb} trusts every local
 *   connection, so anyone on the host was superuser (and {@code COPY … TO PROGRAM} ran commands
 *   as the service's user). The superuser gets a generated secret, kept in {@link #SECRET_FILE}
 *   with owner-only permissions, and {@code pg_hba.conf} accepts only SCRAM-SHA-256 over the
 *   loopback. The password is set in single-user mode, before the server ever listens with the
 *   new rules, so there is no moment when a connection is trusted; a folder made by an older
 *   version is converted the same way at its first start.</li>
 * </ul>
 */
final class EmbeddedSetup {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSetup.class);

    /** The superuser's password, in the PostgreSQL data folder (itself owner-only). */
    static final String SECRET_FILE = "monitor-secret";
    static final String SUPERUSER = "postgres";
    /** The first line of the {@code pg_hba.conf} this class writes. */
    private static final String HBA_MARK = "# pm-monitor: password (scram-sha-256) over the loopback only";
    private static final SecureRandom RANDOM = new SecureRandom();

    private EmbeddedSetup() {
    }

    /**
     * The folder's secret, or a new one if it has none; a new one is written by {@link #prepare}
     * (after {@code initdb}, which wants an empty folder).
     */
    static Secret secret(Path dataDir) {
        Path file = dataDir.resolve(SECRET_FILE);
        try {
            if (Files.exists(file)) {
                if (!Files.exists(dataDir.resolve("postgresql.conf"))) {
                    // a secret without a cluster (the rest of the folder removed): it opens nothing,
                    // and initdb wants the folder empty
                    Files.delete(file);
                } else {
                    ownerOnly(file);
                    String s = Files.readString(file, StandardCharsets.UTF_8).strip();
                    if (!s.isEmpty()) {
                        return new Secret(s, false);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the database secret " + file + ": " + e.getMessage(), e);
        }
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return new Secret(Base64.getUrlEncoder().withoutPadding().encodeToString(b), true);
    }

    /** A folder's secret; {@code made} when it is new (not in the folder, not known to the server yet). */
    record Secret(String value, boolean made) {
        @Override
        public String toString() {
            return "Secret[***]";
        }
    }

    /**
     * Runs before each start, with the folder locked: stops an orphaned server, then sets the
     * password and writes {@code pg_hba.conf} if the folder does not have them yet.
     */
    static void prepare(Path dataDir, Secret secret) {
        try {
            stopOrphan(dataDir);
            if (secret.made()) {
                write(dataDir.resolve(SECRET_FILE), secret.value() + "\n");
            }
            Path hba = dataDir.resolve("pg_hba.conf");
            String wanted = hba();
            boolean ours = Files.exists(hba) && Files.readString(hba, StandardCharsets.UTF_8).equals(wanted);
            if (ours && !secret.made()) {
                return;
            }
            // The password first, then the rules that require it: a crash in between leaves the
            // old rules and the same secret, and the next start does both again.
            setPassword(dataDir, secret.value());
            write(hba, wanted);
            LOG.info("embedded PostgreSQL in {}: password authentication on; the secret is in {}", dataDir,
                    dataDir.resolve(SECRET_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** SCRAM-SHA-256 over IPv4 and IPv6 loopback; nothing else (no line for the Unix socket: refused). */
    static String hba() {
        return HBA_MARK + "\n"
                + "# Written by the monitor at each start; the superuser's password is in " + SECRET_FILE + ".\n"
                + "# TYPE  DATABASE  USER  ADDRESS       METHOD\n"
                + "host    all       all   127.0.0.1/32  scram-sha-256\n"
                + "host    all       all   ::1/128       scram-sha-256\n";
    }

    // ---- the orphan -----------------------------------------------------------------------------

    /**
     * Stops the server that {@code postmaster.pid} names if it is a live PostgreSQL on this folder
     * (fast shutdown: its clients died with the killed service). A pid file whose process is some
     * other program (the number reused after a reboot) is stale and removed; one whose process
     * is gone is left to PostgreSQL, which replaces it.
     */
    static void stopOrphan(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        } catch (RuntimeException e) {
            return; // half written: PostgreSQL deals with it
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (p.isEmpty()) {
            return;
        }
        if (!isPostgresOf(p.get(), dataDir)) {
            LOG.warn("{} names process {}, which is not a PostgreSQL on this folder: the file is stale, removing it",
                    pidFile, pid);
            Files.deleteIfExists(pidFile);
            return;
        }
        LOG.warn("an orphaned PostgreSQL (pid {}) still runs on {} (the service that started it was killed): stopping it",
                pid, dataDir);
        if (!pgCtlStop(dataDir, "fast")) {
            pgCtlStop(dataDir, "immediate");
        }
        try {
            if (!p.get().onExit().get(30, TimeUnit.SECONDS).isAlive()) {
                return;
            }
        } catch (Exception e) {
            // answered below
        }
        throw new IllegalStateException("the orphaned PostgreSQL (pid " + pid + ") on " + dataDir + " did not stop");
    }

    private static boolean isPostgresOf(ProcessHandle p, Path dataDir) {
        ProcessHandle.Info info = p.info();
        String command = info.command().orElse("");
        String name = Path.of(command.isEmpty() ? "?" : command).getFileName().toString();
        if (!name.equals("postgres") && !name.equals("postgres.exe")) {
            return false;
        }
        // The library starts it with -D <folder>; where the arguments cannot be read, the name
        // and the pid file naming it are what PostgreSQL itself would go by.
        String[] args = info.arguments().orElse(new String[0]);
        if (args.length == 0) {
            return true;
        }
        Path own = dataDir.toAbsolutePath().normalize();
        for (String a : args) {
            try {
                if (Path.of(a).toAbsolutePath().normalize().equals(own)) {
                    return true;
                }
            } catch (RuntimeException e) {
                // not a path
            }
        }
        return false;
    }

    private static boolean pgCtlStop(Path dataDir, String mode) throws IOException {
        Run r = run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "stop", "-m", mode, "-w", "-t", "60"), null);
        if (r.exit != 0) {
            LOG.warn("pg_ctl stop -m {} on {} answered {}: {}", mode, dataDir, r.exit, r.output.strip());
        }
        return r.exit == 0;
    }

    // ---- the password ---------------------------------------------------------------------------

    /**
     * {@code ALTER ROLE} in single-user mode: no server listens, so nothing can connect while
     * the folder still has the old rules. The secret goes in on standard input, never on a
     * command line another user could read.
     */
    private static void setPassword(Path dataDir, String secret) throws IOException {
        if (!secret.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalStateException("the secret in " + dataDir.resolve(SECRET_FILE)
                    + " must be letters, digits, _ or - (it was generated so): remove the file to make a new one");
        }
        String sql = "SET password_encryption = 'scram-sha-256';\n"
                + "ALTER ROLE " + SUPERUSER + " PASSWORD '" + secret + "';\n";
        // a failed statement is not echoed (it holds the secret)
        Run r = run(List.of(bin("postgres"), "--single", "-D", dataDir.toString(), "-c", "lc_messages=C",
                "-c", "log_min_messages=warning", "-c", "log_min_error_statement=panic", SUPERUSER), sql);
        // single-user mode answers 0 after a failed statement too: its output says
        if (r.exit != 0 || r.output.contains("ERROR:") || r.output.contains("FATAL:")) {
            throw new IllegalStateException("setting the embedded PostgreSQL's password in " + dataDir + " failed ("
                    + r.exit + "): " + r.output.replace(secret, "***").strip());
        }
    }

    // ---- running the library's binaries ---------------------------------------------------------

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> command, String input) throws IOException {
        List<String> cmd = new ArrayList<>();
        // as the library does: PostgreSQL refuses to run as root, and in a user namespace it is not
        if (LinuxUtils.isUnshareAvailable()) {
            cmd.add("unshare");
            cmd.add("-U");
        }
        cmd.addAll(command);
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
        b.environment().put("LC_ALL", "C");
        Process p = b.start();
        try (var in = p.getOutputStream()) {
            if (input != null) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Run(p.exitValue(), out);
    }

    private static String bin(String name) {
        File dir = Binaries.INSTANCE.dir();
        File f = new File(dir, "bin/" + name + (File.separatorChar == '\\' ? ".exe" : ""));
        if (!f.canExecute()) {
            throw new IllegalStateException("the embedded PostgreSQL's " + name + " is not at " + f);
        }
        return f.getPath();
    }

    /** The library's working folder, where it unpacks the binaries (its default, set explicitly). */
    static File workingDirectory() {
        return new File(System.getProperty("ot.epg.working-dir",
                new File(System.getProperty("java.io.tmpdir"), "embedded-pg").getPath()));
    }

    /**
     * The library's own binaries, remembering where it unpacks them: {@code PG-<MD5 of the
     * archive>} in its working folder. The library reads the archive once per JVM.
     */
    static final class Binaries implements PgBinaryResolver {
        static final Binaries INSTANCE = new Binaries();
        private volatile String digest;

        private Binaries() {
        }

        @Override
        public InputStream getPgBinary(String system, String machineHardware) throws IOException {
            InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
            if (in == null) {
                return null;
            }
            MessageDigest md5;
            try {
                md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IOException(e);
            }
            return new FilterInputStream(new DigestInputStream(in, md5)) {
                private boolean closed;

                @Override
                public void close() throws IOException {
                    super.close();
                    if (!closed) {
                        closed = true;
                        digest = HexFormat.of().formatHex(md5.digest());
                    }
                }
            };
        }

        File dir() {
            String d = digest;
            if (d == null) {
                throw new IllegalStateException("the embedded PostgreSQL's binaries are not unpacked yet");
            }
            return new File(workingDirectory(), "PG-" + d);
        }
    }

    // ---- files ------------------------------------------------------------------------------------

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    /** Written whole or not at all (a temporary file moved in place), readable by the owner only. */
    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        if (posix()) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void ownerOnly(Path file) throws IOException {
        if (posix() && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            LOG.warn("{} was readable by others: made owner-only (rw-------)", file);
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }
}
