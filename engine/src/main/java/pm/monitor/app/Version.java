package pm.monitor.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What the jar was built from: the project version and the git commit, written into
 * {@code pm/monitor/version.properties} by the build (engine/pom.xml). Shown by
 * {@code --version}, {@code /api/health} and {@code /metrics} ({@code monitor_build_info}).
 */
public record Version(String version, String commit, boolean dirty) {

    /** Read once: the jar does not change under a running JVM. */
    public static final Version CURRENT = read();

    private static Version read() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/pm/monitor/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // answered as unknown below
        }
        return new Version(known(p.getProperty("version")), known(p.getProperty("commit")),
                "true".equals(p.getProperty("dirty")));
    }

    /** A value the build did not fill in (no git, or an IDE's unfiltered copy) is unknown. */
    private static String known(String v) {
        return v == null || v.isBlank() || v.contains("${") ? "unknown" : v.strip();
    }

    /** {@code 0.1.0-SNAPSHOT (commit 2a927969aba9)}, with "+ uncommitted changes" when built from a modified tree. */
    public String describe() {
        return version + " (commit " + commit + (dirty ? " + uncommitted changes" : "") + ")";
    }
}
