package cloud.hop3.core.impl.plugin;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

import cloud.hop3.api.plugin.PluginInfo;
import cloud.hop3.api.plugin.PluginKind;

/** Turns a plugin's service reference into what {@code plugin:list} shows. */
final class PluginDescriptions {

    static final String UNNAMED = "(unnamed)";

    private PluginDescriptions() {
    }

    /**
     * @param active whether it is in use (chosen, or of a kind where every plugin is used)
     * @return the description, or null when the service went away meanwhile
     */
    static PluginInfo describe(PluginKind kind, String nameProperty, ServiceReference<?> ref, boolean active) {
        Bundle bundle = ref.getBundle();
        if (bundle == null) {
            return null;
        }
        String name = nameOf(ref, nameProperty);
        return new PluginInfo(kind, name, bundle.getSymbolicName(), bundle.getBundleId(),
                bundle.getVersion().toString(), state(bundle.getState()), active);
    }

    /** The plugin's name from its service property, {@value #UNNAMED} when it has none. */
    static String nameOf(ServiceReference<?> ref, String nameProperty) {
        Object value = ref.getProperty(nameProperty);
        return value == null ? UNNAMED : String.valueOf(value);
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.ACTIVE -> "Active";
            case Bundle.STARTING -> "Starting";
            case Bundle.STOPPING -> "Stopping";
            case Bundle.RESOLVED -> "Resolved";
            case Bundle.INSTALLED -> "Installed";
            case Bundle.UNINSTALLED -> "Uninstalled";
            default -> "Unknown";
        };
    }
}
