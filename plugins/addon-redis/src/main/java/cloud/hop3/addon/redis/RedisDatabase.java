package cloud.hop3.addon.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
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
 * Redis add-ons. By default each add-on is a redis-server process of its own, run as the
 * plugin's system user on a loopback port, its ACL user the only one that opens it
 * ({@link EmbeddedRedis}); with an {@code adminUrl}, ACL users with a key prefix on an external
 * server ({@link ExternalRedis}). A second password is an ACL user with two passwords: rotation
 * adds the new one, retirement removes the old one, both saved in the server's ACL file.
 * <p>
 * Deactivation stops the servers only when the platform itself stops: an updated or removed
 * plugin leaves them serving, and its next instance adopts them.
 */
@Component(service = Database.class, immediate = true, property = Database.TYPE_PROPERTY + "=" + RedisDatabase.TYPE,
        configurationPid = RedisDatabase.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RedisDatabase.Config.class)
public class RedisDatabase implements Database {

    static final String TYPE = "redis";
    static final String PID = "cloud.hop3.addon.redis";
    private static final Set<String> OPTIONS = new TreeSet<>(List.of("maxmemory", "version"));
    private static final Pattern MEGABYTES = Pattern.compile("(\\d{1,6})(mb)?", Pattern.CASE_INSENSITIVE);
    private static final SecureRandom RANDOM = new SecureRandom();

    @ObjectClassDefinition(id = PID, name = "Hop3 Redis add-ons",
            description = "Redis add-ons: a redis-server per add-on, or ACL users on an external server.")
    public @interface Config {

        @AttributeDefinition(name = "redis-server", description = "The redis-server executable: a name looked up"
                + " in PATH, or an absolute path.")
        String redisServer() default "redis-server";

        @AttributeDefinition(name = "redis-cli", description = "The redis-cli executable, for dumps and"
                + " addon:connect: a name looked up in PATH, or an absolute path.")
        String redisCli() default "redis-cli";

        @AttributeDefinition(name = "Admin URL", required = false, description = "redis://:password@host:port"
                + " (or redis://user:password@host:port) of an external Redis 6 or later, where each add-on becomes"
                + " an ACL user limited to the keys that start with its name and a colon. Empty means a redis-server"
                + " of its own per add-on, run by the plugin.")
        String adminUrl() default "";

        @AttributeDefinition(name = "Start timeout", min = "1", description = "Longest wait, in seconds, for an"
                + " add-on's server to answer after it was started.")
        int startTimeoutSeconds() default 30;

        @AttributeDefinition(name = "Default memory limit", min = "0", description = "Memory limit, in megabytes,"
                + " of each embedded add-on's server unless its maxmemory option says otherwise; 0 means none.")
        int maxMemoryMegabytes() default 0;
    }

    private final RedisBackend backend;
    private final RedisBinaries binaries;
    private final int defaultMaxMemory;
    private final BooleanSupplier platformStopping;

    @Activate
    public RedisDatabase(@Reference Platform platform, @Reference ServiceAccounts accounts, Config config,
                         BundleContext context) throws IOException {
        this(platform, accounts, config, () -> context.getBundle(0).getState() == Bundle.STOPPING);
    }

    RedisDatabase(Platform platform, ServiceAccounts accounts, Config config, BooleanSupplier platformStopping)
            throws IOException {
        this.binaries = RedisBinaries.of(config.redisServer(), config.redisCli());
        this.defaultMaxMemory = config.maxMemoryMegabytes();
        this.platformStopping = platformStopping;
        if (config.adminUrl().isBlank()) {
            this.backend = new EmbeddedRedis(platform.home(), platform.stateDirectory(PluginKind.DATABASE, TYPE),
                    accounts.account(TYPE), binaries, Duration.ofSeconds(config.startTimeoutSeconds()));
        } else {
            this.backend = new ExternalRedis(RedisUrl.parse(config.adminUrl()));
        }
    }

    @Deactivate
    void deactivate() {
        backend.close(platformStopping.getAsBoolean());
    }

    /** Stops every server this instance runs (for tests and the platform's stop). */
    void stopServers() {
        backend.close(true);
    }

    RedisBackend backend() {
        return backend;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String describe() {
        return backend.describe();
    }

    @Override
    public AddonCredentials create(AddonName name, Map<String, String> options) throws AddonException {
        if (!OPTIONS.containsAll(options.keySet())) {
            Set<String> unknown = new TreeSet<>(options.keySet());
            unknown.removeAll(OPTIONS);
            throw new AddonException("Unknown option(s) for a Redis add-on: " + String.join(", ", unknown)
                    + "; known: " + String.join(", ", OPTIONS));
        }
        String version = options.get("version");
        if (version != null && !binaries.version().map(v -> v.equals(version) || v.startsWith(version + "."))
                .orElse(false)) {
            throw new AddonException("This machine's Redis is " + binaries.version().orElse("not installed")
                    + "; version " + version + " cannot be created here");
        }
        int maxMemory = defaultMaxMemory;
        if (options.containsKey("maxmemory")) {
            Matcher m = MEGABYTES.matcher(options.get("maxmemory").strip());
            if (!m.matches()) {
                throw new AddonException("maxmemory is a number of megabytes (256 or 256mb), not '"
                        + options.get("maxmemory") + "'");
            }
            maxMemory = Integer.parseInt(m.group(1));
        }
        return backend.create(name, maxMemory);
    }

    @Override
    public void destroy(AddonName name, AddonCredentials credentials) throws AddonException {
        backend.destroy(name, credentials);
    }

    @Override
    public AddonCredentials rotate(AddonName name, AddonCredentials current) throws AddonException {
        String password = newPassword();
        acl(name, current, ">" + password);
        Map<String, String> values = new LinkedHashMap<>(current.values());
        values.put("password", password);
        return new AddonCredentials(values);
    }

    @Override
    public void retire(AddonName name, AddonCredentials old, AddonCredentials current) throws AddonException {
        if (old.get("password").equals(current.get("password"))) {
            throw new AddonException("The credentials to retire are the current ones of add-on '" + name + "'");
        }
        acl(name, current, "<" + old.get("password"));
    }

    /** Changes the add-on's ACL user by one rule and saves the ACL. */
    private void acl(AddonName name, AddonCredentials credentials, String rule) throws AddonException {
        try (RespConnection connection = backend.admin(credentials)) {
            connection.call("ACL", "SETUSER", credentials.get("user"), rule);
            backend.persist(connection);
        } catch (IOException e) {
            throw new AddonException("Redis refused to change the password of add-on '" + name + "': "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, String> environment(AddonCredentials credentials, String prefix) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(prefix + "_URL", url(credentials));
        String keyPrefix = credentials.values().getOrDefault("keyPrefix", "");
        if (!keyPrefix.isEmpty()) {
            env.put(prefix + "_KEY_PREFIX", keyPrefix);
        }
        return env;
    }

    static String url(AddonCredentials credentials) {
        return new RedisUrl(credentials.get("host"), Integer.parseInt(credentials.get("port")), credentials.get("user"),
                credentials.get("password")).toString();
    }

    @Override
    public String defaultPrefix() {
        return "REDIS";
    }

    @Override
    public DatabaseStatus status(AddonName name, AddonCredentials credentials) {
        String server = backend.server(credentials);
        String version = binaries.version().orElse("");
        try (RespConnection own = RespConnection.open(credentials.get("host"),
                Integer.parseInt(credentials.get("port")), credentials.get("user"), credentials.get("password"),
                Duration.ofSeconds(5)); RespConnection admin = backend.admin(credentials)) {
            own.call("PING");
            version = field(admin.text("INFO", "server"), "redis_version", version);
            String memory = field(admin.text("INFO", "memory"), "used_memory_human", "?");
            String detail = credentials.values().containsKey("keyPrefix")
                    ? "the server's used memory " + memory + "; keys under " + credentials.get("keyPrefix")
                            + " (isolation by key prefix)"
                    : "used memory " + memory + ", " + admin.call("DBSIZE") + " keys";
            return new DatabaseStatus(version, server, true, detail);
        } catch (IOException | AddonException | RuntimeException e) {
            return new DatabaseStatus(version, server, false, "does not answer: " + e.getMessage());
        }
    }

    private static String field(String info, String key, String otherwise) {
        return info.lines().filter(l -> l.startsWith(key + ":")).map(l -> l.substring(key.length() + 1).strip())
                .findFirst().orElse(otherwise);
    }

    @Override
    public ClientCommand client(AddonCredentials credentials) {
        return new ClientCommand(List.of(binaries.cli(), "-h", credentials.get("host"), "-p", credentials.get("port"),
                "--user", credentials.get("user")), Map.of("REDISCLI_AUTH", credentials.get("password")));
    }

    @Override
    public void dump(AddonName name, AddonCredentials credentials, OutputStream out) throws AddonException {
        backend.dump(name, credentials, out);
    }

    @Override
    public Map<String, Long> count(AddonName name, AddonCredentials credentials) throws AddonException {
        return Map.of("keys", backend.keys(name, credentials));
    }

    @Override
    public Map<String, Long> countDump(InputStream dump) throws AddonException {
        try {
            return DumpCounts.count(dump);
        } catch (IOException e) {
            throw new AddonException("The Redis dump cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public void restore(AddonName name, AddonCredentials credentials, InputStream in) throws AddonException {
        backend.restore(name, credentials, in);
    }

    /** 32 URL-safe characters from {@link SecureRandom} (192 bits). */
    static String newPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static AddonCredentials credentials(String host, int port, String user, String password, String keyPrefix) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("host", host);
        values.put("port", Integer.toString(port));
        values.put("user", user);
        values.put("password", password);
        if (!keyPrefix.isEmpty()) {
            values.put("keyPrefix", keyPrefix);
        }
        return new AddonCredentials(values);
    }
}
