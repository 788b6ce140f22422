package cloud.hop3.core.impl.manifest;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for process type names, shared by the Procfile and hop3.toml: {@code [a-z][a-z0-9_-]*},
 * at most {@value #MAX_LENGTH} characters, never case-folded (a name is used in file names, unit
 * names and shell commands, where {@code Web} and {@code web} would be two things).
 */
final class ProcessNames {

    static final int MAX_LENGTH = 63;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");

    private ProcessNames() {
    }

    /** Why {@code name} is not a valid process type, or empty when it is. */
    static Optional<String> problem(String name) {
        if (name.isEmpty()) {
            return Optional.of("the process type is empty");
        }
        if (!NAME.matcher(name).matches()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (NAME.matcher(lower).matches()) {
                return Optional.of("process type '" + name + "' must be lower-case: write '" + lower + "'");
            }
            return Optional.of("process type '" + name
                    + "' is not valid: use lower-case letters, digits, '-' and '_', starting with a letter");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of("process type '" + name.substring(0, 20) + "...' is longer than " + MAX_LENGTH + " characters");
        }
        return Optional.empty();
    }

    /** The message for Piku's uWSGI kinds, which Hop3 does not run. */
    static String wsgiNotSupported(String kind, String module) {
        return "'" + kind + "' (uWSGI loading a module) is not supported; declare a web process that listens on $PORT"
                + " instead, for example 'web: gunicorn " + module + " --bind 0.0.0.0:$PORT'";
    }

    static boolean isWsgi(String kind) {
        return kind.equals("wsgi") || kind.equals("jwsgi") || kind.equals("rwsgi");
    }
}
