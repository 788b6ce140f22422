package cloud.hop3.api.app;

import java.util.regex.Pattern;

/**
 * The name of a config var ({@code DATABASE_URL}), validated in this one place: {@code app:config-set},
 * hop3.toml's {@code [env]} and app.json all go through {@link #of(String)}.
 * <p>
 * Names become environment variables of the app's processes and lines of shell-readable files,
 * so they are {@code [A-Za-z_][A-Za-z0-9_]*}, at most {@value #MAX_LENGTH} characters.
 *
 * @param value the name
 */
public record ConfigVarName(String value) implements Comparable<ConfigVarName> {

    /** The longest name, in characters. */
    public static final int MAX_LENGTH = 255;

    /** The longest value a config var may hold, in characters. */
    public static final int MAX_VALUE_LENGTH = 32_768;

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** @throws IllegalArgumentException with a message a user can act on */
    public ConfigVarName {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("A config var name is required, such as DATABASE_URL.");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Invalid config var name '" + Shown.of(value, 40) + "': at most "
                    + MAX_LENGTH + " characters.");
        }
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("Invalid config var name '" + Shown.of(value, 60)
                    + "': use letters, digits and underscores, not starting with a digit.");
        }
    }

    /**
     * Validates a name as a user wrote it.
     *
     * @throws IllegalArgumentException with a message a user can act on
     */
    public static ConfigVarName of(String value) {
        return new ConfigVarName(value);
    }

    /** Whether {@code value} is a valid name. */
    public static boolean isValid(String value) {
        return value != null && !value.isEmpty() && value.length() <= MAX_LENGTH && NAME.matcher(value).matches();
    }

    /**
     * Checks a value for this var: no NUL character, at most {@value #MAX_VALUE_LENGTH} characters.
     *
     * @return the value
     * @throws IllegalArgumentException with a message a user can act on
     */
    public String checkValue(String configValue) {
        if (configValue == null || configValue.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("The value of " + value + " may not contain a NUL character.");
        }
        if (configValue.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("The value of " + value + " is longer than " + MAX_VALUE_LENGTH + " characters.");
        }
        return configValue;
    }

    @Override
    public int compareTo(ConfigVarName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
