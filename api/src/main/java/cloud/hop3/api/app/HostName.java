package cloud.hop3.api.app;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A host name that an app answers to ({@code shop.example.org}), validated in this one place.
 * <p>
 * Host names reach proxy configuration files, certificate requests and file names, so this check
 * is a security boundary: a host name from the network (shell, hop3.toml) goes through
 * {@link #of(String)} before it touches anything, and no layer checks it again. A valid name has
 * one or more labels separated by dots ({@code localhost}, the default domain, has one), each of
 * 1 to 63 lower-case letters, digits or inner hyphens, and at most {@value #MAX_LENGTH}
 * characters in all. {@link #of} lower-cases the name
 * and drops one trailing dot.
 *
 * @param value the name, lower case, without a trailing dot
 */
public record HostName(String value) implements Comparable<HostName> {

    /** The longest host name, in characters. */
    public static final int MAX_LENGTH = 253;

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /**
     * @throws IllegalArgumentException when {@code value} is not already a normalised, valid host
     *                                  name; use {@link #of(String)} for user input
     */
    public HostName {
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /**
     * Validates and normalises a host name as a user typed it.
     *
     * @throws IllegalArgumentException with a message a user can act on
     */
    public static HostName of(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("A host name is required, such as www.example.org.");
        }
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return new HostName(name);
    }

    /** Whether {@code host} is valid for {@link #of(String)}. */
    public static boolean isValid(String host) {
        try {
            of(host);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "A host name is required, such as www.example.org.";
        }
        String shown = Shown.of(name, 60);
        if (name.length() > MAX_LENGTH) {
            return "Invalid host name '" + shown + "': at most " + MAX_LENGTH + " characters.";
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return "Invalid host name '" + shown + "': each part between dots has 1 to 63 lower-case letters,"
                        + " digits or inner hyphens.";
            }
        }
        return null;
    }

    /** Whether this name is {@code domain} or lies below it ({@code a.example.org} below {@code example.org}). */
    public boolean isWithin(HostName domain) {
        return value.equals(domain.value) || value.endsWith("." + domain.value);
    }

    @Override
    public int compareTo(HostName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
