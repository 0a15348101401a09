package pm.monitor.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the project's folders are ({@code rules/}, {@code db/}, {@code dashboard/}): under
 * {@code MONITOR_HOME} if set, else the current directory if it has them, else the checkout
 * the jar was built in ({@code engine/target/monitor.jar} → two levels up). So the README's
 * commands work from the checkout and the jar works from anywhere.
 */
final class Home {
    private Home() {
    }

    static Path folder(String name) {
        String env = System.getenv("MONITOR_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).resolve(name);
        }
        Path here = Path.of(name);
        if (Files.isDirectory(here)) {
            return here;
        }
        Path jarHome = jarHome();
        if (jarHome != null && Files.isDirectory(jarHome.resolve(name))) {
            return jarHome.resolve(name);
        }
        return here;
    }

    private static Path jarHome() {
        try {
            Path jar = Path.of(Home.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // engine/target/monitor.jar or engine/target/classes
            Path target = jar.getParent();
            if (target == null || target.getParent() == null) {
                return null;
            }
            return target.getParent().getParent();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return null;
        }
    }
}
