package cloud.hop3.api.addon;

/**
 * An add-on type that can be created: a database plugin installed now.
 *
 * @param type        the type ("postgres")
 * @param description the plugin's own line ("embedded PostgreSQL 16.4")
 * @param plugin      the bundle that provides it, with its version
 */
public record AddonType(String type, String description, String plugin) {
}
