package cloud.hop3.api.platform;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import cloud.hop3.api.plugin.PluginKind;

/**
 * Where plugins' state directories lie under the platform's home: the one layout that core's
 * {@link Platform} creates and that a plugin's tests reproduce, so that a test sees the directory
 * and refuses the names that the running platform would. A proxy's under {@code <home>/proxy/<name>},
 * an issuer's under {@code <home>/tls/<name>} (the layouts those plugins used before there was a
 * platform service), any other kind's under {@code <home>/<kind>/<name>} ({@code builders},
 * {@code drivers}, {@code databases}, {@code backup-stores}).
 */
public final class StateDirectories {

    private static final Pattern PLUGIN_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** Names under {@code <home>/tls} that are core's own, not an issuer's. */
    private static final List<String> RESERVED_TLS = List.of("challenges");

    private StateDirectories() {
    }

    /**
     * The state directory of the plugin of {@code kind} named {@code name} under {@code home};
     * only the path: creating it is the {@link Platform}'s part.
     *
     * @throws IllegalArgumentException when {@code name} is not a plain name (lower-case letters,
     *                                  digits, '-', at most 63), or a name core keeps for itself
     */
    public static Path of(Path home, PluginKind kind, String name) {
        if (name == null || !PLUGIN_NAME.matcher(name).matches()
                || kind == PluginKind.CERTIFICATE_ISSUER && RESERVED_TLS.contains(name)) {
            throw new IllegalArgumentException("'" + String.valueOf(name).replaceAll("[^\\x20-\\x7e]", "?") + "' is not a "
                    + kind.label() + " name for a state directory (lower-case letters, digits, '-').");
        }
        return home.resolve(kindDirectory(kind)).resolve(name);
    }

    private static String kindDirectory(PluginKind kind) {
        return switch (kind) {
            case PROXY -> "proxy";
            case CERTIFICATE_ISSUER -> "tls";
            case BUILDER -> "builders";
            case PROCESS_DRIVER -> "drivers";
            case DATABASE -> "databases";
            case BACKUP_STORE -> "backup-stores";
        };
    }
}
