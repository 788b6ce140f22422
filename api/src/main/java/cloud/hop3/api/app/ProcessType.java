package cloud.hop3.api.app;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The type of an app's process ({@code web}, {@code worker}, {@code clock}), validated in this one
 * place: the Procfile, hop3.toml, app.json, and {@code app:scale} all go through
 * {@link #of(String)}.
 * <p>
 * A type is used in file names, log prefixes and shell commands, so it is
 * {@code [a-z][a-z0-9_-]*}, at most {@value #MAX_LENGTH} characters, and never case-folded:
 * {@code Web} is refused with a hint rather than taken for {@code web}.
 *
 * @param value the type
 */
public record ProcessType(String value) implements Comparable<ProcessType> {

    /** The longest process type, in characters. */
    public static final int MAX_LENGTH = 63;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");

    /** The type that receives HTTP requests through the proxy. */
    public static final ProcessType WEB = new ProcessType("web");

    /** @throws IllegalArgumentException with a message a user can act on */
    public ProcessType {
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Validates a process type as a user wrote it.
     *
     * @throws IllegalArgumentException with a message a user can act on
     */
    public static ProcessType of(String value) {
        return new ProcessType(value);
    }

    /** Why {@code name} is not a valid process type (a sentence fragment), or null when it is. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "the process type is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "process type '" + Shown.of(name, 20) + "' is longer than " + MAX_LENGTH + " characters";
        }
        if (!NAME.matcher(name).matches()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (name.chars().allMatch(c -> c < 0x80) && NAME.matcher(lower).matches()) {
                return "process type '" + name + "' must be lower-case: write '" + lower + "'";
            }
            return "process type '" + Shown.of(name, 40)
                    + "' is not valid: use lower-case letters, digits, '-' and '_', starting with a letter";
        }
        return null;
    }

    @Override
    public int compareTo(ProcessType other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
