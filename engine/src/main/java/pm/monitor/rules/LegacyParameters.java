package pm.monitor.rules;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Versions stored before parameters were declared with their types ({@code name = 2h} in the
 * top section of {@code parameters.conf}) must still load — a restart falls back on the version
 * that ran before, and a rollback may put one back. For such a stored version only, each untyped
 * top-section entry gets the type its rules read it with ({@code params.limit("name")}, or a
 * prefix {@code "repair.arrival." + urgency}), or the engine's; the folder itself must declare
 * its types.
 */
final class LegacyParameters {
    private LegacyParameters() {
    }

    private static final Pattern USE = Pattern.compile(
            "params\\s*\\.\\s*(limit|duration|count|percent|bool)\\s*\\(\\s*\"([^\"]*)\"");
    private static final Pattern UNTYPED = Pattern.compile("^([A-Za-z0-9_.\\-]+)(\\s*)=(.*)$");

    /** The stored files with an untyped parameters.conf given types; the same map when nothing changes. */
    static java.util.SortedMap<String, String> upgrade(java.util.SortedMap<String, String> files) {
        String conf = files.get(RuleBook.PARAMETERS);
        if (conf == null) {
            return files;
        }
        Map<String, String> read = new HashMap<>();
        ParameterCatalog.engine().forEach((k, t) -> read.put(k, t.word()));
        files.forEach((name, text) -> {
            if (name.endsWith(".drl")) {
                Matcher m = USE.matcher(text);
                while (m.find()) {
                    read.putIfAbsent(m.group(2), m.group(1));
                }
            }
        });
        StringBuilder out = new StringBuilder();
        boolean top = true;
        boolean changed = false;
        for (String line : conf.split("\n", -1)) {
            String t = line.trim();
            if (t.startsWith("[")) {
                top = false;
            }
            Matcher m = UNTYPED.matcher(t);
            if (top && !t.startsWith("#") && m.matches() && !ParameterCatalog.isSwitch(m.group(1))) {
                String type = typeOf(m.group(1), read);
                if (type != null) {
                    line = m.group(1) + " : " + type + " =" + m.group(3);
                    changed = true;
                }
            }
            out.append(line).append('\n');
        }
        if (!changed) {
            return files;
        }
        java.util.SortedMap<String, String> upgraded = new java.util.TreeMap<>(files);
        upgraded.put(RuleBook.PARAMETERS, out.substring(0, out.length() - 1));
        return upgraded;
    }

    private static String typeOf(String name, Map<String, String> read) {
        String t = read.get(name);
        if (t != null) {
            return t;
        }
        for (Map.Entry<String, String> e : read.entrySet()) {
            if (e.getKey().endsWith(".") && name.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }
}
