package cloud.hop3.api.plugin;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What is installed, as core sees it: every plugin service in the service registry, updated as
 * bundles come and go. Implemented by core; thread-safe; answers from memory.
 */
@ProviderType
public interface PluginRegistry {

    /** Every plugin service, sorted by kind, then name. */
    List<PluginInfo> plugins();

    /**
     * The name configured as the active choice for a kind where one is chosen (proxy, driver,
     * issuer, backup store), or {@code null} for kinds that use all their plugins.
     */
    String configuredChoice(PluginKind kind);

    /**
     * What is wrong with the choice of plugins, as sentences a user can act on: a configured
     * plugin that is not installed, or one that refused its work while another serves instead.
     * Empty when every choice is in use.
     */
    List<String> problems();
}
