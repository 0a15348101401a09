package pm.monitor.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;
import pm.monitor.rules.RuleBook;
import pm.monitor.rules.RuleSet;

/** The project's real rules folder, compiled once per test run, and copies of it with changed parameters. */
public final class Rules {
    private Rules() {
    }

    private static RuleSet real;

    public static Path dir() {
        return Path.of("rules");
    }

    public static synchronized RuleSet real() {
        if (real == null) {
            real = RuleBook.load(dir(), Clock.systemUTC());
        }
        // as the service does when a version goes live: names and emergencies come from the DRL
        pm.monitor.rules.LiveRuleMetadata.use(real);
        return real;
    }

    /** A copy of the rules folder in {@code target} with some parameter lines replaced. */
    public static Path copyWith(Path target, Map<String, String> parameters) throws IOException {
        try (Stream<Path> files = Files.walk(dir())) {
            for (Path p : files.toList()) {
                Path to = target.resolve(dir().relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path conf = target.resolve("parameters.conf");
        String text = Files.readString(conf);
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            // a declaration keeps its type: "name : limit = 2h"
            String replaced = text.replaceAll("(?m)^(" + java.util.regex.Pattern.quote(e.getKey()) + "\\s*(?::\\s*\\w+\\s*)?)=.*$",
                    "$1= " + java.util.regex.Matcher.quoteReplacement(e.getValue()));
            if (replaced.equals(text)) {
                throw new IllegalArgumentException("no parameter line for " + e.getKey());
            }
            text = replaced;
        }
        Files.writeString(conf, text);
        return target;
    }
}
