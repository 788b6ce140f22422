package cloud.hop3.api.plugin;

/**
 * One registered plugin service.
 *
 * @param kind          which contract it implements
 * @param name          its name ({@code static}, {@code nginx}, ...)
 * @param bundle        symbolic name of the bundle that registered it
 * @param bundleId      that bundle's id in the framework
 * @param version       that bundle's version
 * @param state         that bundle's state ({@code ACTIVE}, {@code STARTING}, ...)
 * @param active        whether it is in use: the chosen one for kinds where one is chosen
 *                      (proxy, driver, issuer, backup store), every one for builders and databases
 */
public record PluginInfo(PluginKind kind, String name, String bundle, long bundleId, String version,
                         String state, boolean active) {
}
