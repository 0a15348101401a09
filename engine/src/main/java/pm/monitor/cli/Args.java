package pm.monitor.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} and {@code --flag} options of one command; anything else is an error. */
final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    /** Thrown for a command line that cannot be used; the message says why. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    Args(String[] args, int from, Set<String> withValue, Set<String> flags) {
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                values.put("--help", "");
            } else if (a.startsWith("--")) {
                String name = a;
                String value = null;
                int eq = a.indexOf('=');
                if (eq > 0) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                }
                if (withValue.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    values.put(name, value);
                } else if (flags.contains(name) && value == null) {
                    values.put(name, "");
                } else {
                    throw new UsageException("unknown option " + name);
                }
            } else {
                positional.add(a);
            }
        }
    }

    boolean help() {
        return values.containsKey("--help");
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    String get(String name) {
        return values.get(name);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String require(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException(name + " is required");
        }
        return v;
    }

    List<String> positional() {
        return positional;
    }
}
