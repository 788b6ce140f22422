package cloud.hop3.addon.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import cloud.hop3.api.addon.AddonCredentials;

/**
 * Where and as whom to connect to PostgreSQL: an add-on's credentials, the embedded server's
 * superuser, or the admin of an external server as its {@code adminUrl} gives it
 * ({@code postgres://admin:secret@db.example.org:5432/postgres}).
 *
 * @param host     host name or IP address
 * @param port     TCP port
 * @param user     role name
 * @param password its password
 * @param database the database to connect to
 */
record PostgresConnection(String host, int port, String user, String password, String database) {

    static final String HOST = "host";
    static final String PORT = "port";
    static final String USER = "user";
    static final String PASSWORD = "password";
    static final String DATABASE = "database";

    /**
     * Reads a {@code postgres://} or {@code postgresql://} URL; user, password and database are
     * required (the database defaults to {@code postgres}), the port defaults to 5432.
     *
     * @throws IllegalArgumentException with what is wrong, the password never shown
     */
    static PostgresConnection parse(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("The admin URL is not a URL (postgres://user:password@host:port/database)");
        }
        if (!"postgres".equals(uri.getScheme()) && !"postgresql".equals(uri.getScheme())) {
            throw new IllegalArgumentException("The admin URL must start with postgres:// (postgres://user:password@host:port/database)");
        }
        String userInfo = uri.getRawUserInfo();
        if (uri.getHost() == null || userInfo == null || !userInfo.contains(":")) {
            throw new IllegalArgumentException("The admin URL needs a host, a user and a password (postgres://user:password@host:port/database)");
        }
        int colon = userInfo.indexOf(':');
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        return new PostgresConnection(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
                decode(userInfo.substring(0, colon)), decode(userInfo.substring(colon + 1)), path.isEmpty() ? "postgres" : path);
    }

    /** The connection that an add-on's credentials describe. */
    static PostgresConnection of(AddonCredentials credentials) {
        return new PostgresConnection(credentials.get(HOST), Integer.parseInt(credentials.get(PORT)), credentials.get(USER),
                credentials.get(PASSWORD), credentials.get(DATABASE));
    }

    /** The same server and user, on another database. */
    PostgresConnection on(String otherDatabase) {
        return new PostgresConnection(host, port, user, password, otherDatabase);
    }

    /** These values as an add-on's credentials. */
    AddonCredentials credentials() {
        return new AddonCredentials(Map.of(HOST, host, PORT, Integer.toString(port), USER, user, PASSWORD, password,
                DATABASE, database));
    }

    /** {@code postgres://user:password@host:port/database}, user and password URL-encoded. */
    String url() {
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        return "postgres://" + encode(user) + ":" + encode(password) + "@" + shownHost + ":" + port + "/" + encode(database);
    }

    /** {@code host:port}, for status lines and errors. */
    String address() {
        return host + ":" + port;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String decode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return user + "@" + address() + "/" + database;
    }
}
