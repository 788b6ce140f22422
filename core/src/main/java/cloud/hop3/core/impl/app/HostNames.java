package cloud.hop3.core.impl.app;

import java.util.Locale;
import java.util.regex.Pattern;

/** Validates the host names that apps answer to (app:domains-add). */
public final class HostNames {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private HostNames() {
    }

    /**
     * @return the name in lower case, without a trailing dot
     * @throws IllegalArgumentException with a message a user can act on
     */
    public static String check(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("A host name is required, such as www.example.org.");
        }
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        String shown = name.replaceAll("[^\\x20-\\x7e]", "?");
        if (name.length() > 253) {
            throw new IllegalArgumentException("Invalid host name '" + shown.substring(0, 60) + "...': at most 253 characters.");
        }
        String[] labels = name.split("\\.", -1);
        if (labels.length < 2) {
            throw new IllegalArgumentException("Invalid host name '" + shown + "': give a full name such as www.example.org.");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("Invalid host name '" + shown + "': each part between dots has 1 to 63"
                        + " letters, digits or inner hyphens.");
            }
        }
        return name;
    }
}
