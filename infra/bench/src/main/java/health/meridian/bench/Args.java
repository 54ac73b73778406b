package health.meridian.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options: {@code --name value}, bare {@code --flag}s and positional arguments. */
public final class Args {

    private final Map<String, String> options = new HashMap<>();
    private final Set<String> flags = new HashSet<>();
    private final List<String> positional = new ArrayList<>();

    private Args() {
    }

    /** {@code flagNames} are the options that take no value. */
    public static Args parse(String[] argv, Set<String> flagNames) {
        Args args = new Args();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--")) {
                args.positional.add(a);
            } else if (flagNames.contains(a.substring(2))) {
                args.flags.add(a.substring(2));
            } else if (i + 1 < argv.length) {
                args.options.put(a.substring(2), argv[++i]);
            } else {
                throw new BenchException("BENCH-0001 option " + a + " needs a value");
            }
        }
        return args;
    }

    public String get(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    public String require(String name) {
        String v = options.get(name);
        if (v == null || v.isBlank()) {
            throw new BenchException("BENCH-0002 option --" + name + " is required");
        }
        return v;
    }

    public int intValue(String name, int fallback) {
        String v = options.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new BenchException("BENCH-0003 option --" + name + " must be a number, got '" + v + "'");
        }
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    public List<String> positional() {
        return List.copyOf(positional);
    }

    /** Environment variable, or the fallback when it is unset or blank. */
    public static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
