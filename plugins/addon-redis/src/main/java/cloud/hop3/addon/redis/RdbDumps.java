package cloud.hop3.addon.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.platform.ServiceAccount;
import cloud.hop3.plugin.support.server.ServerProcesses;
import cloud.hop3.plugin.support.files.Trees;

/**
 * Dumps and restores of embedded add-ons in the server's own RDB format. A dump is
 * {@code redis-cli --rdb} into a private temporary file (redis-cli 7.0 leaves the transfer's end
 * marker in its output when it writes to a pipe), then copied out. A restore puts the dump in
 * place of the data while the server is stopped, starts it without its append-only file (which
 * would win over the RDB; a server started with AOF on and none there starts empty), has it write
 * a new append-only file from the restored data, and starts it as configured again. The data from
 * before stays aside until then and is put back when the server refuses the dump.
 */
final class RdbDumps {

    private static final Logger LOG = LoggerFactory.getLogger(RdbDumps.class);
    private static final String HOST = "127.0.0.1";

    /** A connection with the add-on's credentials. */
    @FunctionalInterface
    interface Connector {
        RespConnection open(AddonCredentials credentials) throws IOException;
    }

    private final RedisBinaries binaries;
    private final ServiceAccount account;
    private final Duration timeout;
    private final Connector admin;

    RdbDumps(RedisBinaries binaries, ServiceAccount account, Duration timeout, Connector admin) {
        this.binaries = binaries;
        this.account = account;
        this.timeout = timeout;
        this.admin = admin;
    }

    void dump(RedisServer server, AddonCredentials credentials, OutputStream out) throws AddonException {
        String name = server.name();
        Path file = null;
        try {
            file = Files.createTempFile("hop3-redis-" + name + "-", ".rdb",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            ProcessBuilder cli = new ProcessBuilder(binaries.cli(), "-h", HOST, "-p", credentials.get("port"),
                    "--user", credentials.get("user"), "--rdb", file.toString());
            cli.environment().put("REDISCLI_AUTH", credentials.get("password"));
            ServerProcesses.Result result = ServerProcesses.run(cli, timeout.multipliedBy(10));
            if (result.exit() != 0 || Files.size(file) == 0) {
                throw new AddonException("redis-cli --rdb failed for add-on '" + name + "': " + result.output().strip());
            }
            Files.copy(file, out);
        } catch (IOException | TimeoutException e) {
            throw new AddonException("Cannot dump Redis add-on '" + name + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AddonException("Interrupted while dumping Redis add-on '" + name + "'", e);
        } finally {
            deleteQuietly(file);
        }
    }

    void restore(RedisServer server, AddonCredentials credentials, InputStream in) throws AddonException {
        String name = server.name();
        RedisDirectory directory = server.directory();
        Path incoming = directory.path().resolve("dump.rdb.restore");
        try {
            Files.copy(in, incoming, StandardCopyOption.REPLACE_EXISTING);
            byte[] head = new byte[5];
            try (InputStream file = Files.newInputStream(incoming)) {
                if (file.readNBytes(head, 0, 5) < 5 || !"REDIS".equals(new String(head, StandardCharsets.US_ASCII))) {
                    throw new AddonException("Not a Redis dump (an RDB file starts with REDIS); the add-on is unchanged");
                }
            }
            Files.setPosixFilePermissions(incoming, PosixFilePermissions.fromString("rw-------"));
            RedisDirectory.own(incoming, account);
        } catch (IOException e) {
            deleteQuietly(incoming);
            throw new AddonException("Cannot read the dump for Redis add-on '" + name + "': " + e.getMessage(), e);
        } catch (AddonException e) {
            deleteQuietly(incoming);
            throw e;
        }
        server.stop();
        Path oldAof = directory.path().resolve("appendonlydir.before-restore");
        Path oldRdb = directory.path().resolve("dump.rdb.before-restore");
        try {
            deleteTree(oldAof);
            Files.deleteIfExists(oldRdb);
            moveIfExists(directory.appendOnly(), oldAof);
            moveIfExists(directory.rdb(), oldRdb);
            Files.move(incoming, directory.rdb(), StandardCopyOption.ATOMIC_MOVE);
            // with its append-only file gone, a server started as configured would start empty
            server.start(List.of("--appendonly", "no"));
            try (RespConnection connection = admin.open(credentials)) {
                connection.call("CONFIG", "SET", "appendonly", "yes");
                awaitRewrite(connection);
            }
            server.stop();
            server.start(List.of());
        } catch (IOException | AddonException e) {
            server.stop();
            putBack(directory, oldAof, oldRdb);
            server.adoptOrStart();
            throw new AddonException("Redis add-on '" + name + "' could not be restored from the dump; its data is as"
                    + " before: " + e.getMessage(), e);
        } finally {
            deleteQuietly(incoming);
        }
        deleteTree(oldAof);
        deleteQuietly(oldRdb);
        LOG.info("Redis add-on {} restored from a dump", name);
    }

    private static void moveIfExists(Path from, Path to) throws IOException {
        if (Files.exists(from)) {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static void putBack(RedisDirectory directory, Path oldAof, Path oldRdb) {
        try {
            if (Files.exists(oldAof)) {
                deleteTree(directory.appendOnly());
                Files.move(oldAof, directory.appendOnly(), StandardCopyOption.ATOMIC_MOVE);
            }
            if (Files.exists(oldRdb)) {
                Files.move(oldRdb, directory.rdb(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.deleteIfExists(directory.rdb());
            }
        } catch (IOException e) {
            LOG.error("The data of {} from before the restore could not be put back: it is in {} and {}: {}",
                    directory.path(), oldAof, oldRdb, e.getMessage());
        }
    }

    private void awaitRewrite(RespConnection connection) throws IOException, AddonException {
        long deadline = System.nanoTime() + timeout.multipliedBy(10).toNanos();
        while (System.nanoTime() < deadline) {
            String info = connection.text("INFO", "persistence");
            if (info.contains("aof_enabled:1") && info.contains("aof_rewrite_in_progress:0")
                    && info.contains("aof_rewrite_scheduled:0") && info.contains("aof_last_bgrewrite_status:ok")) {
                return;
            }
            try {
                Thread.sleep(ServerProcesses.POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AddonException("Interrupted while Redis wrote its append-only file", e);
            }
        }
        throw new AddonException("Redis did not write its append-only file within " + timeout.multipliedBy(10).toSeconds() + " s");
    }

    static void deleteTree(Path path) {
        try {
            Trees.delete(path);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", path, e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("Cannot delete {}: {}", file, e.getMessage());
            }
        }
    }
}
