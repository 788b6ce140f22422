package cloud.hop3.addon.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cloud.hop3.api.platform.ServiceAccount;
import cloud.hop3.plugin.support.files.AtomicFiles;

/**
 * The directory of one embedded add-on, {@code <state>/<name>/}: its generated {@code redis.conf},
 * its ACL file {@code users.acl}, its data ({@code dump.rdb}, {@code appendonlydir}), pid file
 * and log. The directory is the server account's alone (0700): the server writes its data, its
 * ACL file on {@code ACL SAVE} and its log there; no other account reads a byte of it.
 * <p>
 * An add-on named {@code default} is Redis's default user, given a password: a client that does
 * not authenticate is refused all the same.
 * <p>
 * The configuration is written once, at create, and holds the port chosen then, so that the
 * port (which apps hold in their credentials) survives restarts. The server is not daemonized
 * (the plugin supervises it); its process title ends with the configuration file's path, which
 * is how a server left running is recognised. Configuration that would let a client write files
 * elsewhere ({@code CONFIG SET dir}), load modules or run {@code DEBUG} is refused by the server.
 */
record RedisDirectory(Path path) {

    private static final Pattern PORT = Pattern.compile("(?m)^port (\\d+)$");

    Path config() {
        return path.resolve("redis.conf");
    }

    Path acl() {
        return path.resolve("users.acl");
    }

    Path pidFile() {
        return path.resolve("redis.pid");
    }

    Path log() {
        return path.resolve("redis.log");
    }

    Path rdb() {
        return path.resolve("dump.rdb");
    }

    Path appendOnly() {
        return path.resolve("appendonlydir");
    }

    boolean exists() {
        return Files.isRegularFile(config());
    }

    /** The port written in the configuration; empty when there is none. */
    Optional<Integer> port() {
        try {
            Matcher m = PORT.matcher(Files.readString(config()));
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The configuration of the server: loopback, the port, its files here, no daemon, AOF. */
    String configText(int port, int maxMemoryMegabytes) {
        StringBuilder text = new StringBuilder()
                .append("# Written by Hop3 when the add-on was created; the port is kept, apps hold it.\n")
                .append("bind 127.0.0.1\n")
                .append("port ").append(port).append('\n')
                .append("protected-mode yes\n")
                .append("daemonize no\n")
                .append("dir ").append(path).append('\n')
                .append("pidfile ").append(pidFile()).append('\n')
                .append("logfile ").append(log()).append('\n')
                .append("aclfile ").append(acl()).append('\n')
                .append("appendonly yes\n")
                .append("proc-title-template \"{title} {listen-addr} {config-file}\"\n")
                .append("enable-protected-configs no\n")
                .append("enable-debug-command no\n")
                .append("enable-module-command no\n");
        if (maxMemoryMegabytes > 0) {
            text.append("maxmemory ").append(maxMemoryMegabytes).append("mb\n");
        }
        return text.toString();
    }

    /**
     * The ACL file: the default user off, and one user named after the add-on with every command
     * on every key and channel. The password is stored as its SHA-256, as {@code ACL SAVE} does.
     */
    static String aclText(String user, String password) {
        String own = "user " + user + " on #" + sha256(password) + " ~* &* +@all\n";
        // an add-on named "default" is the default user, with a password
        return user.equals("default") ? own : "user default off resetchannels -@all\n" + own;
    }

    static String sha256(String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Creates the directory (0700) with its configuration, ACL file and an empty log, all owned
     * by {@code account}.
     */
    void create(ServiceAccount account, int port, int maxMemoryMegabytes, String user, String password)
            throws IOException {
        Files.createDirectory(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        own(path, account);
        AtomicFiles.write(config(), configText(port, maxMemoryMegabytes), AtomicFiles.PRIVATE);
        AtomicFiles.write(acl(), aclText(user, password), AtomicFiles.PRIVATE);
        AtomicFiles.write(log(), "", AtomicFiles.PRIVATE);
        for (Path file : new Path[] {config(), acl(), log()}) {
            own(file, account);
        }
    }

    /** Gives {@code file} to the account, when the server runs as an account of its own. */
    static void own(Path file, ServiceAccount account) throws IOException {
        if (account.isolated()) {
            Files.setAttribute(file, "unix:uid", account.uid());
            Files.setAttribute(file, "unix:gid", account.gid());
        }
    }
}
