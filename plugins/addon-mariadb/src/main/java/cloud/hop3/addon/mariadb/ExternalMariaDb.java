package cloud.hop3.addon.mariadb;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import cloud.hop3.api.addon.AddonException;

/**
 * A MariaDB or MySQL server that the plugin is pointed at with an admin URL
 * ({@code mysql://root:password@db.example.org:3306/}): it creates the add-ons' databases and
 * users there, for connections from any host ({@code 'user'@'%'}), as the apps reach it over the
 * network. The password travels to the tools in their environment, never on a command line.
 *
 * @param host     the server's host
 * @param port     its port
 * @param user     a user that may create databases and users and grant rights on them
 * @param password that user's password
 */
record ExternalMariaDb(String host, int port, String user, String password) implements MariaDbServer {

    private static final int DEFAULT_PORT = 3306;

    /** The server an admin URL names; an {@link IllegalArgumentException} saying what is wrong with it. */
    static ExternalMariaDb parse(String adminUrl) {
        URI uri;
        try {
            uri = new URI(adminUrl.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("The MariaDB adminUrl is not a URL: " + e.getMessage(), e);
        }
        if (!"mysql".equals(uri.getScheme()) && !"mariadb".equals(uri.getScheme())) {
            throw new IllegalArgumentException("The MariaDB adminUrl must start with mysql:// (for example"
                    + " mysql://root:secret@db.example.org:3306/)");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() == null) {
            throw new IllegalArgumentException("The MariaDB adminUrl needs a user and a host: mysql://user:password@host:port/");
        }
        String[] userInfo = uri.getRawUserInfo().split(":", 2);
        String password = userInfo.length > 1 ? decode(userInfo[1]) : "";
        return new ExternalMariaDb(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), decode(userInfo[0]),
                password);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public MariaDbConnection admin() throws AddonException {
        return MariaDbConnection.tcp(host, port, user, password);
    }

    @Override
    public List<String> userHosts() {
        return List.of("%");
    }

    @Override
    public String where() {
        return "external, " + host + ":" + port;
    }

    @Override
    public String toString() {
        return "ExternalMariaDb[" + user + "@" + host + ":" + port + "]";
    }
}
