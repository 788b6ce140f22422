package cloud.hop3.addon.mariadb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.addon.ClientCommand;
import cloud.hop3.api.addon.Database;
import cloud.hop3.api.addon.DatabaseStatus;
import cloud.hop3.api.platform.Platform;
import cloud.hop3.api.platform.ServiceAccounts;
import cloud.hop3.api.plugin.PluginKind;

/**
 * MariaDB add-ons: each is a database with a user of its own (for 127.0.0.1 and localhost on the
 * embedded server, for any host on an external one) that has every right on that database and
 * none elsewhere. MariaDB users have one password, so a rotation makes a second user
 * {@code <name>_r<n>} with the same rights, and retiring drops the old one. The server is the
 * plugin's embedded one ({@link EmbeddedMariaDb}) unless {@code adminUrl} names an external one.
 */
@Component(service = Database.class, immediate = true, property = Database.TYPE_PROPERTY + "=" + MariaDbDatabase.TYPE,
        configurationPid = MariaDbDatabase.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MariaDbDatabase.Config.class)
public class MariaDbDatabase implements Database {

    static final String TYPE = "mariadb";
    static final String PID = "cloud.hop3.addon.mariadb";
    static final Set<String> OPTIONS = Set.of("version");

    @ObjectClassDefinition(id = PID, name = "Hop3 MariaDB add-ons",
            description = "Creates MariaDB databases for apps, on a server this plugin runs or on an external one.")
    public @interface Config {

        @AttributeDefinition(name = "Admin URL", required = false,
                description = "An external MariaDB or MySQL server, as mysql://user:password@host:port/ with a user"
                        + " that may create databases and users. Empty means the plugin's embedded server, run from"
                        + " the machine's MariaDB packages under the platform's state directory.")
        String adminUrl() default "";

        @AttributeDefinition(name = "Buffer pool size", min = "8",
                description = "Memory, in megabytes, that the embedded server gives InnoDB to cache tables and indexes.")
        int bufferPoolMegabytes() default 64;
    }

    private static final Logger LOG = LoggerFactory.getLogger(MariaDbDatabase.class);
    private static final Pattern ROTATED = Pattern.compile("(.+)_r(\\d+)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MariaDbServer server;
    private final BundleContext context;
    /** The installed server's version, read once (it changes only with the package, and a restart). */
    private volatile String installedVersion;

    @Activate
    public MariaDbDatabase(@Reference Platform platform, @Reference ServiceAccounts accounts, Config config,
                           BundleContext context) throws IOException {
        this.context = context;
        if (config.adminUrl().isBlank()) {
            EmbeddedMariaDb embedded = new EmbeddedMariaDb(platform.stateDirectory(PluginKind.DATABASE, TYPE),
                    accounts.account(TYPE), config.bufferPoolMegabytes());
            this.server = embedded;
            if (embedded.initialised()) {
                try {
                    embedded.ensureRunning();
                } catch (AddonException e) {
                    LOG.error("The MariaDB server could not start: {}", e.getMessage());
                }
            }
        } else {
            this.server = ExternalMariaDb.parse(config.adminUrl());
        }
    }

    /** Stops the embedded server only with the platform; a bundle update or removal leaves it serving. */
    @Deactivate
    void deactivate() {
        boolean platformStopping = context != null && context.getBundle(0).getState() == Bundle.STOPPING;
        close(platformStopping);
    }

    void close(boolean stopServer) {
        if (server instanceof EmbeddedMariaDb embedded) {
            if (stopServer) {
                embedded.stop();
            } else {
                embedded.release();
            }
        }
    }

    MariaDbServer server() {
        return server;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String describe() {
        if (!(server instanceof EmbeddedMariaDb)) {
            return "MariaDB on " + server.where().substring("external, ".length());
        }
        if (installedVersion == null) {
            installedVersion = MariaDbBinaries.serverVersion();
        }
        return "embedded MariaDB " + installedVersion;
    }

    @Override
    public AddonCredentials create(AddonName name, Map<String, String> options) throws AddonException {
        MariaDbConnection admin = server.admin();
        checkOptions(options, admin);
        String database = name.identifier();
        if (!"0".equals(MariaDbTools.value(admin, MariaDbStatements.countExisting(database, database)))) {
            throw new AddonException("A MariaDB database or user '" + database + "' exists already on " + server.where());
        }
        String password = password();
        MariaDbTools.execute(admin, MariaDbStatements.create(database, database, password, server.userHosts()));
        LOG.info("MariaDB add-on {} created", name);
        return credentials(database, database, password);
    }

    private void checkOptions(Map<String, String> options, MariaDbConnection admin) throws AddonException {
        for (String option : options.keySet()) {
            if (!OPTIONS.contains(option)) {
                throw new AddonException("Unknown option '" + option + "' for a MariaDB add-on; known options: "
                        + String.join(", ", OPTIONS.stream().sorted().toList()));
            }
        }
        String wanted = options.get("version");
        if (wanted != null) {
            String version = MariaDbTools.value(admin, "SELECT VERSION()");
            if (!(version.equals(wanted) || version.startsWith(wanted + ".") || version.startsWith(wanted + "-"))) {
                throw new AddonException("This MariaDB server runs version " + version + ", not " + wanted);
            }
        }
    }

    @Override
    public void destroy(AddonName name, AddonCredentials credentials) throws AddonException {
        String database = name.identifier();
        MariaDbConnection admin = server.admin();
        MariaDbTools.execute(admin, MariaDbStatements.dropUser(credentials.get("user"), server.userHosts())
                + MariaDbStatements.dropDatabase(database));
        LOG.info("MariaDB add-on {} destroyed", name);
    }

    @Override
    public AddonCredentials rotate(AddonName name, AddonCredentials current) throws AddonException {
        String database = current.get("database");
        MariaDbConnection admin = server.admin();
        Matcher rotated = ROTATED.matcher(current.get("user"));
        int next = rotated.matches() && rotated.group(1).equals(name.identifier()) ? Integer.parseInt(rotated.group(2)) + 1 : 1;
        String user = name.identifier() + "_r" + next;
        while (!"0".equals(MariaDbTools.value(admin, MariaDbStatements.countUsers(user)))) {
            user = name.identifier() + "_r" + ++next;
        }
        String password = password();
        MariaDbTools.execute(admin, MariaDbStatements.createUser(database, user, password, server.userHosts()));
        LOG.info("MariaDB add-on {} has new credentials (user {})", name, user);
        return credentials(user, database, password);
    }

    @Override
    public void retire(AddonName name, AddonCredentials old, AddonCredentials current) throws AddonException {
        if (old.get("user").equals(current.get("user"))) {
            return;
        }
        MariaDbTools.execute(server.admin(), MariaDbStatements.dropUser(old.get("user"), server.userHosts()));
        LOG.info("MariaDB add-on {}: user {} dropped", name, old.get("user"));
    }

    @Override
    public Map<String, String> environment(AddonCredentials credentials, String prefix) {
        Map<String, String> env = new LinkedHashMap<>();
        String user = credentials.get("user");
        String password = credentials.get("password");
        env.put(prefix + "_URL", "mysql://" + encode(user) + ":" + encode(password) + "@" + credentials.get("host") + ":"
                + credentials.get("port") + "/" + credentials.get("database"));
        if (prefix.equals(defaultPrefix())) {
            env.put("MYSQL_HOST", credentials.get("host"));
            env.put("MYSQL_PORT", credentials.get("port"));
            env.put("MYSQL_USER", user);
            env.put("MYSQL_PASSWORD", password);
            env.put("MYSQL_DATABASE", credentials.get("database"));
        }
        return env;
    }

    @Override
    public String defaultPrefix() {
        return "DATABASE";
    }

    @Override
    public DatabaseStatus status(AddonName name, AddonCredentials credentials) {
        String where = server.where();
        try {
            List<String> row = MariaDbTools.query(connection(credentials),
                    MariaDbStatements.status(credentials.get("database"))).get(0);
            return new DatabaseStatus(row.get(0), where, true, "database " + credentials.get("database") + ": "
                    + row.get(1) + " tables, " + size(Long.parseLong(row.get(2))) + "; user " + credentials.get("user"));
        } catch (AddonException | RuntimeException e) {
            return new DatabaseStatus("", where, false, e.getMessage());
        }
    }

    @Override
    public ClientCommand client(AddonCredentials credentials) {
        MariaDbConnection connection = connection(credentials);
        return new ClientCommand(connection.command(java.nio.file.Path.of(MariaDbBinaries.clientOrName()),
                List.of(credentials.get("database"))), connection.env());
    }

    @Override
    public void dump(AddonName name, AddonCredentials credentials, OutputStream out) throws AddonException {
        MariaDbTools.dump(server.admin(), credentials.get("database"), out);
    }

    @Override
    public void restore(AddonName name, AddonCredentials credentials, InputStream in) throws AddonException {
        String database = credentials.get("database");
        MariaDbConnection admin = server.admin();
        MariaDbTools.execute(admin, MariaDbStatements.recreateDatabase(database));
        MariaDbTools.load(admin, database, in);
    }

    @Override
    public Map<String, Long> count(AddonName name, AddonCredentials credentials) throws AddonException {
        return MariaDbTools.count(server.admin(), credentials.get("database"));
    }

    @Override
    public Map<String, Long> countDump(InputStream dump) throws AddonException {
        try {
            return MariaDbDumpCounts.count(dump);
        } catch (java.io.IOException e) {
            throw new AddonException("The MariaDB dump cannot be read: " + e.getMessage(), e);
        }
    }

    private static MariaDbConnection connection(AddonCredentials credentials) {
        return MariaDbConnection.tcp(credentials.get("host"), Integer.parseInt(credentials.get("port")),
                credentials.get("user"), credentials.get("password"));
    }

    private AddonCredentials credentials(String user, String database, String password) throws AddonException {
        return new AddonCredentials(Map.of("host", server.host(), "port", String.valueOf(server.port()), "user", user,
                "password", password, "database", database));
    }

    private static String password() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String size(long bytes) {
        return bytes < 1024 * 1024 ? (bytes + 1023) / 1024 + " KiB" : String.format("%.1f MiB", bytes / 1048576.0);
    }
}
