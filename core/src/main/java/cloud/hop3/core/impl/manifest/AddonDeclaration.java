package cloud.hop3.core.impl.manifest;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An add-on that an app declares it needs: hop3.toml {@code [[addons]]} or app.json
 * {@code addons}. A deploy creates it when it does not exist and attaches it when it is not
 * attached, before the release command runs.
 *
 * @param type   the add-on type ({@code postgres})
 * @param name   the add-on's name; empty for {@code <app>-<type>}
 * @param prefix the variables' prefix ({@code as}); empty for the type's default
 */
public record AddonDeclaration(String type, Optional<String> name, Optional<String> prefix) {

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]{0,29}");
    private static final Pattern PREFIX = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");

    public AddonDeclaration {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prefix, "prefix");
    }

    /** The add-on's name for {@code app}: the declared one, else {@code <app>-<type>}. */
    public String nameFor(String app) {
        return name.orElse(app + "-" + type);
    }

    /** Why {@code type} is not an add-on type name, or null when it is one. */
    public static String typeProblem(String type) {
        return type != null && TYPE.matcher(type).matches() ? null
                : "'" + shown(type) + "' is not an add-on type: use lower-case letters, digits and hyphens (for example 'postgres')";
    }

    /**
     * Why {@code prefix} cannot prefix an add-on's variables, or null when it can: upper-case
     * letters, digits and underscores, starting with a letter ({@code ANALYTICS} gives
     * {@code ANALYTICS_URL}).
     */
    public static String prefixProblem(String prefix) {
        return prefix != null && PREFIX.matcher(prefix).matches() ? null
                : "'" + shown(prefix) + "' is not a variable prefix: use upper-case letters, digits and underscores,"
                        + " starting with a letter (for example ANALYTICS, which gives ANALYTICS_URL)";
    }

    private static String shown(String text) {
        if (text == null) {
            return "";
        }
        return (text.length() > 40 ? text.substring(0, 40) + "..." : text).replaceAll("[^\\x20-\\x7e]", "?");
    }
}
