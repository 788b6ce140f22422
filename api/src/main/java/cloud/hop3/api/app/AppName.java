package cloud.hop3.api.app;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of an app, validated in this one place.
 * <p>
 * A name is also a directory under {@code HOP3_HOME/apps}, a git repository path and a DNS label
 * ({@code <app>.<domain>}), so this check is a security boundary: every name that enters the
 * platform from the network (git push, shell) goes through {@link #of(String)} before it
 * touches anything. Valid names match {@code [a-z][a-z0-9-]{0,62}} and do not end with a hyphen.
 */
public final class AppName implements Comparable<AppName> {

    /** The pattern a name must match. */
    public static final Pattern PATTERN = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    private final String value;

    private AppName(String value) {
        this.value = value;
    }

    /**
     * Validates and wraps a name.
     *
     * @param name the name as the user gave it
     * @return the app name
     * @throws IllegalArgumentException with a message a user can act on, when the name is invalid
     */
    public static AppName of(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new AppName(name);
    }

    /** Whether {@code name} is a valid app name. */
    public static boolean isValid(String name) {
        return problem(name) == null;
    }

    private static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "An app name is required.";
        }
        String shown = name.length() > 70 ? name.substring(0, 70) + "..." : name;
        shown = shown.replaceAll("[^\\x20-\\x7e]", "?");
        if (name.length() > 63) {
            return "Invalid app name '" + shown + "': at most 63 characters.";
        }
        if (!PATTERN.matcher(name).matches()) {
            return "Invalid app name '" + shown + "': use lower-case letters, digits and hyphens,"
                    + " starting with a letter (for example 'my-app').";
        }
        if (name.endsWith("-")) {
            return "Invalid app name '" + shown + "': it must not end with a hyphen.";
        }
        return null;
    }

    /** The name as a string, safe to use as a path segment and a DNS label. */
    public String value() {
        return value;
    }

    @Override
    public int compareTo(AppName other) {
        return value.compareTo(other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AppName other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
