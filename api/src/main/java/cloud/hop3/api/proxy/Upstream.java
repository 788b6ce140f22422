package cloud.hop3.api.proxy;

/**
 * A web process that a proxy forwards to.
 *
 * @param host address it listens on (loopback for the local driver)
 * @param port its port
 */
public record Upstream(String host, int port) {
}
