package cloud.hop3.core.impl.deploy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import cloud.hop3.api.app.ConfigVarName;
import cloud.hop3.core.impl.tls.Certificates;

/**
 * Checks a config var being set (its name and value by {@link ConfigVarName}'s one rule, and the
 * values that core itself reads), and describes a change for the release list.
 */
final class ConfigVars {

    private ConfigVars() {
    }

    /**
     * @throws IllegalArgumentException with a message a user can act on
     */
    static void check(String name, String value) {
        ConfigVarName.of(name).checkValue(value);
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
