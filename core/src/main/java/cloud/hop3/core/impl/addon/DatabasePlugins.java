package cloud.hop3.core.impl.addon;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonType;
import cloud.hop3.api.addon.Database;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.core.impl.plugin.PluginChooser;

/**
 * The database plugins installed now, by type. When two plugins offer one type, the one in use
 * is the one {@link PluginChooser} picks with the type as the configured name, the rule that
 * {@code plugin:list} applies too. Thread-safe: plugins come and go on any thread.
 */
final class DatabasePlugins {

    private final PluginChooser<Database> chooser = new PluginChooser<>(PluginKind.DATABASE);
    private final List<String> types = new CopyOnWriteArrayList<>();

    void add(Database database, Map<String, Object> properties) {
        Object type = properties.get(Database.TYPE_PROPERTY);
        if (type != null) {
            chooser.add(database, properties);
            types.add(String.valueOf(type));
        }
    }

    void remove(Database database, Map<String, Object> properties) {
        chooser.remove(database);
        Object type = properties.get(Database.TYPE_PROPERTY);
        if (type != null) {
            types.remove(String.valueOf(type));
        }
    }

    /** The plugin in use for {@code type}. */
    Optional<Database> find(String type) {
        return chooser.choose(type);
    }

    /** The plugin in use for {@code type}, or an {@link AddonException} that lists the installed types. */
    Database require(String type) throws AddonException {
        return find(type).orElseThrow(() -> new AddonException(missing(type)));
    }

    /** Why {@code type} cannot be used: its plugin is not installed, and which types are. */
    String missing(String type) {
        TreeSet<String> installed = new TreeSet<>(types);
        return "The plugin for add-on type '" + type + "' is not installed; " + (installed.isEmpty()
                ? "no database plugin is installed (install one with feature:install, for example hop3-addon-postgres)."
                : "installed types: " + String.join(", ", installed) + ".");
    }

    /** The types that can be created now, with the plugin in use for each. */
    List<AddonType> types() {
        return new TreeSet<>(types).stream().flatMap(t -> find(t).stream().map(db -> new AddonType(t, db.describe(),
                plugin(db)))).toList();
    }

    private static String plugin(Database database) {
        Bundle bundle = FrameworkUtil.getBundle(database.getClass());
        return bundle == null ? database.getClass().getName() : bundle.getSymbolicName() + " " + bundle.getVersion();
    }
}
