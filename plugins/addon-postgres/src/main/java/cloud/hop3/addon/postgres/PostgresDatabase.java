package cloud.hop3.addon.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

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
 * PostgreSQL add-ons: a database, an owner role and a password each, on the plugin's
 * {@link EmbeddedPostgres embedded server} (the default, started with the first add-on and at
 * activation when it has data) or on an external server given by {@code adminUrl}. The SQL is in
 * {@link PostgresAddons}; dumps are {@code pg_dump}'s custom format.
 * <p>
 * An update or removal of the bundle leaves the embedded server running (apps keep their
 * connections) and the next instance adopts it; only a stopping framework stops it.
 */
@Component(service = Database.class, immediate = true, property = Database.TYPE_PROPERTY + "=" + PostgresDatabase.TYPE,
        configurationPid = PostgresDatabase.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PostgresDatabase.Config.class)
public class PostgresDatabase implements Database {

    static final String TYPE = "postgres";
    static final String PID = "cloud.hop3.addon.postgres";
    static final String VERSION_OPTION = "version";
    private static final Set<String> OPTIONS = Set.of(VERSION_OPTION);
    private static final String PREFIX = "DATABASE";
    private static final Logger LOG = LoggerFactory.getLogger(PostgresDatabase.class);

    @ObjectClassDefinition(id = PID, name = "Hop3 PostgreSQL add-ons",
            description = "Creates PostgreSQL databases for apps, on an embedded server or an external one.")
    public @interface Config {

        @AttributeDefinition(name = "Admin URL", required = false, description = "An external server to create"
                + " add-ons on, as postgres://user:password@host:port/database, where the user is a superuser or has"
                + " CREATEROLE and CREATEDB. Empty means the plugin's embedded server, run from the machine's"
                + " PostgreSQL under the platform's state directory (databases/postgres).")
        String adminUrl() default "";

        @AttributeDefinition(name = "Program directory", required = false, description = "Directory of PostgreSQL's"
                + " programs (initdb, postgres, psql, pg_dump, pg_restore). Empty means the newest version under"
                + " /usr/lib/postgresql, where Debian installs them.")
        String binDirectory() default "";

        @AttributeDefinition(name = "Start timeout", min = "1", description = "Longest wait, in seconds, for the"
                + " embedded server to accept connections after it is started.")
        int startTimeoutSeconds() default 60;
    }

    private final Path stateDirectory;
    private final ServiceAccounts accounts;
    private final Config config;
    private final BooleanSupplier frameworkStopping;
    private final Optional<PostgresConnection> external;
    /** What is wrong with the configured admin URL, or null. */
    private final String adminUrlProblem;
    private PostgresBinaries binaries;
    private EmbeddedPostgres embedded;

    @Activate
    public PostgresDatabase(@Reference Platform platform, @Reference ServiceAccounts accounts, Config config,
                            BundleContext context) {
        this(platform.stateDirectory(PluginKind.DATABASE, TYPE), accounts, config,
                () -> context.getBundle(0).getState() == Bundle.STOPPING);
    }

    PostgresDatabase(Path stateDirectory, ServiceAccounts accounts, Config config, BooleanSupplier frameworkStopping) {
        this.stateDirectory = stateDirectory;
        this.accounts = accounts;
        this.config = config;
        this.frameworkStopping = frameworkStopping;
        Optional<PostgresConnection> admin = Optional.empty();
        String problem = null;
        try {
            admin = config.adminUrl().isBlank() ? Optional.empty() : Optional.of(PostgresConnection.parse(config.adminUrl()));
        } catch (IllegalArgumentException e) {
            problem = e.getMessage() + "; correct adminUrl in " + PID;
            LOG.error("PostgreSQL add-ons cannot be created: {}", problem);
        }
        this.external = admin;
        this.adminUrlProblem = problem;
        if (problem == null && external.isEmpty() && EmbeddedPostgres.initialised(stateDirectory)) {
            try {
                server().ensureRunning();
            } catch (AddonException e) {
                LOG.error("The embedded PostgreSQL server did not start: {}", e.getMessage());
            }
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (embedded == null) {
            return;
        }
        if (frameworkStopping.getAsBoolean()) {
            embedded.stop();
        } else {
            embedded.release();
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String describe() {
        if (adminUrlProblem != null) {
            return "PostgreSQL, not usable: " + adminUrlProblem;
        }
        if (external.isPresent()) {
            return "external PostgreSQL at " + external.get().address();
        }
        try {
            return "embedded PostgreSQL " + binaries().version();
        } catch (AddonException e) {
            return "embedded PostgreSQL, not installed (apt-get install postgresql)";
        }
    }

    @Override
    public AddonCredentials create(AddonName name, Map<String, String> options) throws AddonException {
        Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.removeAll(OPTIONS);
        if (!unknown.isEmpty()) {
            throw new AddonException("Unknown option" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " for a PostgreSQL add-on; known: " + String.join(", ", new TreeSet<>(OPTIONS)));
        }
        PostgresAddons addons = addons();
        String wanted = options.get(VERSION_OPTION);
        if (wanted != null) {
            String running = PostgresBinaries.major(addons.serverVersion());
            if (!PostgresBinaries.major(wanted.strip()).equals(running)) {
                throw new AddonException("PostgreSQL " + wanted + " is not available: the " + (external.isPresent() ? "external"
                        : "embedded") + " server runs PostgreSQL " + running + " (installed here: "
                        + PostgresBinaries.installedMajors(PostgresBinaries.DEBIAN_ROOT) + ")");
            }
        }
        PostgresConnection admin = admin();
        String password = EmbeddedPostgres.password();
        addons.create(name.identifier(), password);
        LOG.info("PostgreSQL add-on {} created on {}", name, admin.address());
        return new PostgresConnection(admin.host(), admin.port(), name.identifier(), password, name.identifier()).credentials();
    }

    @Override
    public void destroy(AddonName name, AddonCredentials credentials) throws AddonException {
        addons().destroy(name.identifier());
        LOG.info("PostgreSQL add-on {} destroyed", name);
    }

    @Override
    public AddonCredentials rotate(AddonName name, AddonCredentials current) throws AddonException {
        PostgresConnection now = PostgresConnection.of(current);
        String password = EmbeddedPostgres.password();
        String login = addons().rotate(name.identifier(), password);
        LOG.info("PostgreSQL add-on {} has new credentials (role {})", name, login);
        return new PostgresConnection(now.host(), now.port(), login, password, now.database()).credentials();
    }

    @Override
    public void retire(AddonName name, AddonCredentials old, AddonCredentials current) throws AddonException {
        String oldUser = old.get(PostgresConnection.USER);
        if (!oldUser.equals(current.get(PostgresConnection.USER))) {
            addons().retire(name.identifier(), oldUser);
            LOG.info("PostgreSQL add-on {}: role {} retired", name, oldUser);
        }
    }

    @Override
    public Map<String, String> environment(AddonCredentials credentials, String prefix) {
        PostgresConnection c = PostgresConnection.of(credentials);
        Map<String, String> env = new LinkedHashMap<>();
        env.put(prefix + "_URL", c.url());
        if (PREFIX.equals(prefix)) {
            env.put("PGHOST", c.host());
            env.put("PGPORT", Integer.toString(c.port()));
            env.put("PGUSER", c.user());
            env.put("PGPASSWORD", c.password());
            env.put("PGDATABASE", c.database());
        }
        return env;
    }

    @Override
    public String defaultPrefix() {
        return PREFIX;
    }

    @Override
    public DatabaseStatus status(AddonName name, AddonCredentials credentials) {
        PostgresConnection c = PostgresConnection.of(credentials);
        String where = (external.isPresent() ? "external, " : "embedded, ") + c.address();
        String version = "";
        try {
            version = external.isPresent() ? "" : binaries().version();
            List<List<String>> row = psql().query(c, "SELECT current_setting('server_version'),"
                    + " pg_size_pretty(pg_database_size(current_database()));");
            version = row.get(0).get(0).split(" ")[0];
            return new DatabaseStatus(version, where, true, "size " + row.get(0).get(1));
        } catch (AddonException | RuntimeException e) {
            return new DatabaseStatus(version, where, false, e.getMessage());
        }
    }

    @Override
    public ClientCommand client(AddonCredentials credentials) {
        PostgresConnection c = PostgresConnection.of(credentials);
        String psql = binaries == null ? "psql" : binaries.program("psql").toString();
        return new ClientCommand(List.of(psql, "-h", c.host(), "-p", Integer.toString(c.port()), "-U", c.user(), "-d", c.database()),
                Map.of("PGPASSWORD", c.password()));
    }

    @Override
    public void dump(AddonName name, AddonCredentials credentials, OutputStream out) throws AddonException {
        PostgresConnection c = PostgresConnection.of(credentials);
        PostgresTools.dump(binaries().program("pg_dump"), c, out);
    }

    /**
     * See {@link PostgresTools#changeMark}; read with the server's admin connection (the embedded
     * server's superuser), so an external server whose admin is no superuser has no mark.
     */
    @Override
    public Optional<String> changeMark(AddonName name, AddonCredentials credentials) throws AddonException {
        PostgresConnection c = PostgresConnection.of(credentials);
        return Optional.of(PostgresTools.changeMark(psql(), admin().on(c.database())));
    }

    @Override
    public void restore(AddonName name, AddonCredentials credentials, InputStream in) throws AddonException {
        PostgresConnection c = PostgresConnection.of(credentials);
        PostgresTools.restore(binaries().program("pg_restore"), c, name.identifier(), in);
    }

    @Override
    public Map<String, Long> count(AddonName name, AddonCredentials credentials) throws AddonException {
        return PostgresTools.count(psql(), PostgresConnection.of(credentials));
    }

    @Override
    public Map<String, Long> countDump(InputStream dump) throws AddonException {
        return PostgresTools.countDump(binaries().program("pg_restore"), dump);
    }

    /** Starts the embedded server (or adopts it) before any add-on, for the benchmark. */
    void startEmbedded() throws AddonException {
        admin();
    }

    /** The embedded server's process id, or -1 when none runs (for tests). */
    long serverPid() {
        EmbeddedPostgres server;
        synchronized (this) {
            server = embedded;
        }
        return server == null ? -1 : server.running().map(ProcessHandle::pid).orElse(-1L);
    }

    private PostgresAddons addons() throws AddonException {
        return new PostgresAddons(psql(), admin());
    }

    private PostgresConnection admin() throws AddonException {
        if (adminUrlProblem != null) {
            throw new AddonException(adminUrlProblem);
        }
        return external.isPresent() ? external.get() : server().ensureRunning();
    }

    private Psql psql() throws AddonException {
        return new Psql(binaries().program("psql"));
    }

    private synchronized PostgresBinaries binaries() throws AddonException {
        if (binaries == null) {
            binaries = external.isPresent() ? PostgresBinaries.find(config.binDirectory(), PostgresBinaries.DEBIAN_ROOT)
                    : PostgresBinaries.forCluster(stateDirectory.resolve("data"), config.binDirectory(), PostgresBinaries.DEBIAN_ROOT);
        }
        return binaries;
    }

    private synchronized EmbeddedPostgres server() throws AddonException {
        if (embedded == null) {
            try {
                embedded = new EmbeddedPostgres(stateDirectory, binaries(), accounts.account(TYPE),
                        Duration.ofSeconds(config.startTimeoutSeconds()));
            } catch (IOException e) {
                throw new AddonException("Cannot get the system account for PostgreSQL: " + e.getMessage(), e);
            }
        }
        return embedded;
    }
}
