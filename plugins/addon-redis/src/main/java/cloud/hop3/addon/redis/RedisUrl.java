package cloud.hop3.addon.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A {@code redis://user:password@host:port} address: the external server's admin URL as the
 * operator writes it (the user may be empty: the server's {@code default} user), and the
 * {@code REDIS_URL} apps get, user and password URL-encoded.
 *
 * @param host     host name or address
 * @param port     TCP port
 * @param user     user name; empty for the default user
 * @param password password; empty for none
 */
record RedisUrl(String host, int port, String user, String password) {

    /** Parses an admin URL; {@link IllegalArgumentException} saying what is wrong (never showing the password). */
    static RedisUrl parse(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("adminUrl is not a URL (redis://:password@host:port): " + e.getReason());
        }
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("adminUrl must look like redis://:password@host:port or"
                    + " redis://user:password@host:port");
        }
        String user = "";
        String password = "";
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? "" : decode(info.substring(colon + 1));
        }
        return new RedisUrl(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), user, password);
    }

    @Override
    public String toString() {
        return "redis://" + encode(user) + ":" + encode(password) + "@" + host + ":" + port;
    }

    /** The address without secrets, for messages. */
    String address() {
        return host + ":" + port;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String decode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
