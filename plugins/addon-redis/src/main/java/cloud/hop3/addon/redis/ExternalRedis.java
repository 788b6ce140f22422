package cloud.hop3.addon.redis;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;

/**
 * Add-ons on an external Redis 6+ server that the operator runs, reached with an admin URL: each
 * add-on is an ACL user whose keys and channels are those that start with {@code <name>:}, with
 * every command but the {@code @dangerous} ones (FLUSHALL, KEYS, CONFIG...). Isolation there is
 * by key prefix, weaker than a server of its own: such a user still sees other key names through
 * SCAN, and shares the server's memory. ACL changes are saved to the server's ACL file
 * ({@code ACL SAVE}) or, without one, to its configuration file ({@code CONFIG REWRITE}).
 * A dump is the add-on's keys as {@code RESTORE} commands in RESP, which {@code redis-cli --pipe}
 * also reads.
 */
final class ExternalRedis implements RedisBackend {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalRedis.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final RedisUrl adminUrl;

    ExternalRedis(RedisUrl adminUrl) {
        this.adminUrl = adminUrl;
    }

    @Override
    public String describe() {
        return "external Redis at " + adminUrl.address() + ", an ACL user and key prefix per add-on";
    }

    private RespConnection admin() throws AddonException {
        try {
            return RespConnection.open(adminUrl.host(), adminUrl.port(), adminUrl.user(), adminUrl.password(), TIMEOUT);
        } catch (IOException e) {
            throw new AddonException("The external Redis at " + adminUrl.address() + " refuses the plugin's adminUrl: "
                    + e.getMessage(), e);
        }
    }

    static String prefix(AddonName name) {
        return name.value() + ":";
    }

    @Override
    public AddonCredentials create(AddonName name, int maxMemoryMegabytes) throws AddonException {
        if (maxMemoryMegabytes > 0) {
            throw new AddonException("maxmemory is for embedded servers; the external Redis at " + adminUrl.address()
                    + " has one memory limit for all its add-ons");
        }
        String password = RedisDatabase.newPassword();
        String prefix = prefix(name);
        try (RespConnection connection = admin()) {
            if (connection.call("ACL", "GETUSER", name.value()) != null) {
                throw new AddonException("The external Redis at " + adminUrl.address() + " has a user '" + name
                        + "' already");
            }
            connection.call("ACL", "SETUSER", name.value(), "reset", "on", ">" + password, "~" + prefix + "*",
                    "&" + prefix + "*", "+@all", "-@dangerous");
            try {
                persist(connection);
            } catch (AddonException | IOException e) {
                connection.call("ACL", "DELUSER", name.value());
                throw e;
            }
        } catch (IOException e) {
            throw new AddonException("The external Redis at " + adminUrl.address() + " refused to create user '"
                    + name + "': " + e.getMessage(), e);
        }
        LOG.info("Redis add-on {} created on the external server {}", name, adminUrl.address());
        return RedisDatabase.credentials(adminUrl.host(), adminUrl.port(), name.value(), password, prefix);
    }

    @Override
    public void destroy(AddonName name, AddonCredentials credentials) throws AddonException {
        try (RespConnection connection = admin()) {
            connection.call("ACL", "DELUSER", name.value());
            persist(connection);
            for (byte[] key : keys(connection, prefix(name))) {
                connection.call("UNLINK", key);
            }
        } catch (IOException e) {
            throw new AddonException("The external Redis at " + adminUrl.address() + " refused to drop add-on '"
                    + name + "': " + e.getMessage(), e);
        }
    }

    /** The keys that start with {@code prefix}, by SCAN. */
    private static List<byte[]> keys(RespConnection connection, String prefix) throws IOException {
        List<byte[]> keys = new ArrayList<>();
        String cursor = "0";
        do {
            List<?> reply = (List<?>) connection.call("SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000");
            cursor = RespConnection.asText(reply.get(0));
            for (Object key : (List<?>) reply.get(1)) {
                keys.add((byte[]) key);
            }
        } while (!"0".equals(cursor));
        return keys;
    }

    @Override
    public RespConnection admin(AddonCredentials credentials) throws AddonException {
        return admin();
    }

    @Override
    public void persist(RespConnection connection) throws IOException, AddonException {
        try {
            connection.call("ACL", "SAVE");
        } catch (RespConnection.RedisError aclFile) {
            try {
                connection.call("CONFIG", "REWRITE");
            } catch (RespConnection.RedisError config) {
                throw new AddonException("The external Redis at " + adminUrl.address() + " can keep ACL users neither"
                        + " in an ACL file (" + aclFile.getMessage() + ") nor in its configuration file ("
                        + config.getMessage() + "); give it an aclfile");
            }
        }
    }

    @Override
    public String server(AddonCredentials credentials) {
        return "external, " + adminUrl.address();
    }

    @Override
    public long keys(AddonName name, AddonCredentials credentials) throws AddonException {
        try (RespConnection connection = admin()) {
            return keys(connection, prefix(name)).size();
        } catch (IOException e) {
            throw new AddonException("Cannot count the keys of Redis add-on '" + name + "' on " + adminUrl.address()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void dump(AddonName name, AddonCredentials credentials, OutputStream out) throws AddonException {
        try (RespConnection connection = admin()) {
            OutputStream buffered = new BufferedOutputStream(out);
            for (byte[] key : keys(connection, prefix(name))) {
                long ttl = (Long) connection.call("PTTL", key);
                Object payload = connection.call("DUMP", key);
                if (ttl == -2 || payload == null) {
                    continue; // expired meanwhile
                }
                RespConnection.write(buffered, "RESTORE", key, Long.toString(Math.max(ttl, 0)), payload, "REPLACE");
            }
            buffered.flush();
        } catch (IOException e) {
            throw new AddonException("Cannot dump Redis add-on '" + name + "' from " + adminUrl.address() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void restore(AddonName name, AddonCredentials credentials, InputStream in) throws AddonException {
        String prefix = prefix(name);
        String from = null; // the prefix of the add-on dumped, which may be another (a restore into a copy)
        List<List<?>> commands = new ArrayList<>();
        try {
            InputStream buffered = new BufferedInputStream(in);
            while (true) {
                Object command;
                buffered.mark(1);
                if (buffered.read() < 0) {
                    break;
                }
                buffered.reset();
                command = RespConnection.read(buffered);
                String key = command instanceof List<?> words && words.size() == 5
                        && "RESTORE".equals(RespConnection.asText(words.get(0))) ? RespConnection.asText(words.get(1)) : "";
                int colon = key.indexOf(':');
                if (from == null && colon > 0 && AddonName.isValid(key.substring(0, colon))) {
                    from = key.substring(0, colon + 1);
                }
                if (from == null || !key.startsWith(from)) {
                    throw new AddonException("Not a dump of a Redis add-on (RESTORE commands of keys that start"
                            + " with one add-on's name and a colon); add-on '" + name + "' is unchanged");
                }
                List<Object> restore = new ArrayList<>((List<?>) command);
                byte[] original = (byte[]) restore.get(1);
                byte[] renamed = new byte[prefix.length() + original.length - from.length()];
                System.arraycopy(prefix.getBytes(StandardCharsets.US_ASCII), 0, renamed, 0, prefix.length());
                System.arraycopy(original, from.length(), renamed, prefix.length(), original.length - from.length());
                restore.set(1, renamed);
                commands.add(restore);
            }
        } catch (EOFException e) {
            throw new AddonException("The dump of Redis add-on '" + name + "' is cut; the add-on is unchanged", e);
        } catch (IOException | RuntimeException e) {
            throw new AddonException("Not a dump of Redis add-on '" + name + "': " + e.getMessage()
                    + "; the add-on is unchanged", e);
        }
        try (RespConnection connection = admin()) {
            for (byte[] key : keys(connection, prefix)) {
                connection.call("UNLINK", key);
            }
            for (List<?> command : commands) {
                connection.call(command.toArray());
            }
        } catch (IOException e) {
            throw new AddonException("The external Redis at " + adminUrl.address() + " refused the restore of add-on '"
                    + name + "': " + e.getMessage(), e);
        }
        LOG.info("Redis add-on {} restored ({} keys)", name, commands.size());
    }

    @Override
    public void close(boolean stopServers) {
        // nothing runs here
    }
}
