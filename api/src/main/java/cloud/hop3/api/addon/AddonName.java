package cloud.hop3.api.addon;

import java.util.regex.Pattern;

/**
 * The name of an add-on, validated in this one place. It names the add-on's database, role or
 * user and password on its server, and its file under the platform's state, so it is short and
 * plain: {@code [a-z][a-z0-9-]{0,29}}, not ending with a hyphen. Plugins turn hyphens into
 * underscores where their server wants identifiers ({@link #identifier()}).
 */
public final class AddonName implements Comparable<AddonName> {

    /** The pattern a name must match. */
    public static final Pattern PATTERN = Pattern.compile("[a-z][a-z0-9-]{0,29}");

    private final String value;

    private AddonName(String value) {
        this.value = value;
    }

    /**
     * Validates and wraps a name.
     *
     * @throws IllegalArgumentException with a message a user can act on, when the name is invalid
     */
    public static AddonName of(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new AddonName(name);
    }

    /** Whether {@code name} is a valid add-on name. */
    public static boolean isValid(String name) {
        return problem(name) == null;
    }

    private static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "An add-on name is required.";
        }
        String shown = (name.length() > 40 ? name.substring(0, 40) + "..." : name).replaceAll("[^\\x20-\\x7e]", "?");
        if (name.length() > 30) {
            return "Invalid add-on name '" + shown + "': at most 30 characters.";
        }
        if (!PATTERN.matcher(name).matches() || name.endsWith("-")) {
            return "Invalid add-on name '" + shown + "': use lower-case letters, digits and hyphens, starting with a"
                    + " letter and not ending with a hyphen (for example 'shop-db').";
        }
        return null;
    }

    /** The name as given. */
    public String value() {
        return value;
    }

    /** The name with hyphens as underscores: a valid SQL identifier without quoting. */
    public String identifier() {
        return value.replace('-', '_');
    }

    @Override
    public int compareTo(AddonName other) {
        return value.compareTo(other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddonName other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
