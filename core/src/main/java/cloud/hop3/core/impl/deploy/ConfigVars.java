package cloud.hop3.core.impl.deploy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import cloud.hop3.core.impl.tls.Certificates;

/** Checks config var names and values, and describes a change for the release list. */
final class ConfigVars {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");

    private ConfigVars() {
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Invalid config var name '" + String.valueOf(name).replaceAll("[^\\x20-\\x7e]", "?")
                    + "': use letters, digits and underscores, not starting with a digit.");
        }
    }

    static void checkValue(String name, String value) {
        if (value == null || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("The value of " + name + " may not contain a NUL character.");
        }
        if (value.length() > 32_768) {
            throw new IllegalArgumentException("The value of " + name + " is longer than 32768 characters.");
        }
        if (Certificates.REDIRECT_VARIABLE.equals(name)) {
            Certificates.checkRedirectSetting(value);
        }
    }

    static String describe(Collection<String> set, Collection<String> unset) {
        List<String> parts = new ArrayList<>();
        if (!set.isEmpty()) {
            parts.add("Set " + String.join(", ", set));
        }
        if (!unset.isEmpty()) {
            parts.add("Unset " + String.join(", ", unset));
        }
        return parts.isEmpty() ? "Config unchanged" : String.join("; ", parts);
    }
}
