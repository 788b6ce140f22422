package cloud.hop3.api.addon;

/**
 * How one add-on's server is, for {@code addon:info}.
 *
 * @param serverVersion the server's version as it reports it ("16.4"), or empty when unknown
 * @param server        where it runs: "embedded, 127.0.0.1:41234" or "external, db.example.org:5432"
 * @param reachable     whether the server answered for this add-on just now
 * @param detail        what else a user should know: its size, or why it is not reachable
 */
public record DatabaseStatus(String serverVersion, String server, boolean reachable, String detail) {
}
