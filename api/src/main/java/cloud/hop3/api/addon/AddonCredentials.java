package cloud.hop3.api.addon;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a database plugin needs to reach one add-on again: host, port, user, password, database,
 * as the plugin names them. Core stores them encrypted at rest and gives them back to the plugin
 * that made them; only the plugin reads their meaning. {@link #toString()} shows the keys only.
 *
 * @param values the plugin's values, secret
 */
public record AddonCredentials(Map<String, String> values) {

    public AddonCredentials {
        values = Map.copyOf(new TreeMap<>(values));
    }

    /** One value, or an {@link IllegalStateException} naming the key when it is missing. */
    public String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalStateException("The add-on's credentials have no '" + key + "'");
        }
        return value;
    }

    @Override
    public String toString() {
        return "AddonCredentials" + values.keySet();
    }
}
