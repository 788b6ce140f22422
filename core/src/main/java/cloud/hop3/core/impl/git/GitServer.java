package cloud.hop3.core.impl.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collections;

import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.access.AccessService;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.api.deploy.DeployService;
import cloud.hop3.core.impl.keys.AuthorizedKeys;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.PlatformSettings;

/**
 * The embedded git server: SSH on {@code HOP3_GIT_SSH_PORT}, public-key logins only (the keys of
 * {@code key:list}), and only {@code git-receive-pack} and {@code git-upload-pack}. Each command
 * runs as the user the key belongs to, once the {@link AccessService} allowed it: a push needs
 * {@code PUSH} on the app, a fetch {@code READ}. A push to an unknown, valid app name creates the
 * app, as Piku does, when the user may push to that name.
 */
@Component(service = GitServer.class, immediate = true, configurationPid = CoreConfig.PID)
public class GitServer {

    private static final Logger LOG = LoggerFactory.getLogger(GitServer.class);

    /**
     * The git server's limits: more attributes of core's configuration ({@value CoreConfig#PID}),
     * read through this type so that they stay with the code that applies them.
     */
    @interface Limits {

        /** Mebibytes of git objects one push may send; a larger push is refused before anything is stored. 0 or less means 512. */
        int max_push_mb() default 512;

        /** Pushes and fetches served at once; as many more wait for their turn, any beyond those are refused with a message. 0 or less means 8. */
        int git_sessions() default 8;
    }

    static final AttributeKey<String> KEY_NAME = new AttributeKey<>();

    @Reference
    private AuthorizedKeys keys;

    @Reference
    private AppService apps;

    @Reference
    private AccessService access;

    @Reference
    private DeployService deploys;

    private SshServer sshd;
    private SimpleGeneratorHostKeyProvider hostKeys;
    private PlatformSettings listening;
    private GitSessions sessions;
    private volatile long maxPushBytes;
    private GitRepositories repositories;
    private Path workDirectory;

    @Activate
    void activate(CoreConfig config, Limits limits) throws IOException {
        maxPushBytes = maxPushBytes(limits);
        sessions = new GitSessions(sessionLimit(limits));
        start(PlatformSettings.resolve(config));
    }

    /** The largest push accepted, {@code max_push_mb} in bytes. */
    static long maxPushBytes(Limits limits) {
        return (limits.max_push_mb() > 0 ? limits.max_push_mb() : 512) * 1024L * 1024L;
    }

    static int sessionLimit(Limits limits) {
        return limits.git_sessions() > 0 ? limits.git_sessions() : 8;
    }

    /**
     * A change of core's configuration restarts nothing, except this SSH server when its port
     * or address changed (pushes under way on the old one are cut). The push size and session
     * limits apply to the next push. Called by SCR on Config Admin's thread.
     */
    @Modified
    synchronized void modified(CoreConfig config, Limits limits) throws IOException {
        maxPushBytes = maxPushBytes(limits);
        sessions.resize(sessionLimit(limits));
        PlatformSettings next = PlatformSettings.resolve(config);
        if (next.gitSshPort() != listening.gitSshPort() || !next.gitSshHost().equals(listening.gitSshHost())) {
            LOG.info("The git server moves from {}:{} to {}:{}", listening.gitSshHost(), listening.gitSshPort(),
                    next.gitSshHost(), next.gitSshPort());
            stopListening();
            start(new PlatformSettings(listening.home(), listening.domain(), next.gitSshHost(), next.gitSshPort()));
        }
    }

    /**
     * Makes the host key in {@code otherKey} (another installation's, from a backup of it) this
     * server's, so that clients that knew that installation connect without a host key warning.
     * New connections present it at once.
     */
    public synchronized void adoptHostKey(Path otherKey) throws IOException {
        putHostKey(listening.home(), otherKey);
        if (hostKeys != null) {
            hostKeys.clearLoadedKeys();
        }
        LOG.info("The git server's host key is now the one of {}", otherKey);
    }

    /**
     * Puts the host key in {@code otherKey} where the git server of the state directory
     * {@code home} reads it as it starts: for a restore while no git server runs.
     */
    public static void putHostKey(Path home, Path otherKey) throws IOException {
        Path hostKey = home.resolve("keys").resolve("git_host_key");
        Files.createDirectories(hostKey.getParent());
        Path temp = hostKey.resolveSibling(".git_host_key.restored");
        Files.copy(otherKey, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        Files.move(temp, hostKey, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void start(PlatformSettings settings) throws IOException {
        listening = settings;
        repositories = new GitRepositories(settings.home());
        workDirectory = settings.home().resolve("tmp").resolve("builds");
        Path hostKey = settings.home().resolve("keys").resolve("git_host_key");
        Files.createDirectories(hostKey.getParent());
        sshd = SshServer.setUpDefaultServer();
        sshd.setIoServiceFactoryFactory(new Nio2ServiceFactoryFactory());
        sshd.setHost(settings.gitSshHost());
        sshd.setPort(settings.gitSshPort());
        hostKeys = new SimpleGeneratorHostKeyProvider(hostKey);
        hostKeys.setAlgorithm("EC");
        hostKeys.setKeySize(256);
        sshd.setKeyPairProvider(hostKeys);
        // sntrup761 (which OpenSSH clients prefer) costs 0.1 s of Java arithmetic per push;
        // curve25519 and the ML-KEM hybrid are both fast
        sshd.setKeyExchangeFactories(sshd.getKeyExchangeFactories().stream()
                .filter(kex -> !kex.getName().startsWith("sntrup")).toList());
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setPublickeyAuthenticator((user, key, session) -> keys.match(key).map(k -> {
            session.setAttribute(KEY_NAME, k.name());
            return true;
        }).orElse(false));
        sshd.setShellFactory(null);
        sshd.setCommandFactory((channel, command) -> new GitCommand(command, this));
        sshd.setSubsystemFactories(Collections.emptyList());
        CoreModuleProperties.IDLE_TIMEOUT.set(sshd, Duration.ofHours(1));
        try {
            sshd.start();
        } catch (IOException e) {
            throw new IOException("The git server cannot listen on " + settings.gitSshHost() + ":"
                    + settings.gitSshPort() + " (HOP3_GIT_SSH_PORT): " + e.getMessage(), e);
        }
        LOG.info("Git server listening on {}:{}", settings.gitSshHost(), sshd.getPort());
    }

    @Deactivate
    void deactivate() throws IOException {
        try {
            stopListening();
        } finally {
            sessions.shutdown();
        }
    }

    private void stopListening() throws IOException {
        if (sshd != null) {
            sshd.stop(true);
        }
    }

    /** The port it listens on. */
    public int port() {
        return sshd.getPort();
    }

    GitSessions sessions() {
        return sessions;
    }

    long maxPushBytes() {
        return maxPushBytes;
    }

    GitRepositories repositories() {
        return repositories;
    }

    AccessService access() {
        return access;
    }

    DeployService deploys() {
        return deploys;
    }

    Path workDirectory() {
        return workDirectory;
    }

    /** Creates the app on its first push. */
    void ensureApp(AppName app, String keyName) {
        synchronized (this) {
            if (apps.find(app).isEmpty()) {
                apps.create(app);
                LOG.info("App {} created by a push from key {}", app, keyName);
            }
        }
    }
}
