package cloud.hop3.backup.restic;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupId;
import cloud.hop3.api.backup.BackupManifest;
import cloud.hop3.api.backup.BackupPart;
import cloud.hop3.api.backup.BackupStore;
import cloud.hop3.api.platform.Platform;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.plugin.support.backup.BackupDirectories;
import cloud.hop3.plugin.support.backup.BackupParts;
import cloud.hop3.plugin.support.files.Trees;

/**
 * Backups in a restic repository (encrypted, deduplicated; a local path or an SFTP server),
 * initialised on first use. Each backup is one snapshot tagged {@code hop3}, {@code app=<app>} (or {@code platform})
 * and {@code id=<id>}, holding {@code manifest.txt} and the parts under a directory named by the
 * app ({@code app-<app>}, or {@code platform}), so that {@code restic restore <snapshot> --target X}
 * alone gives the files back. A snapshot
 * appears only once restic has stored all of it, which makes a put atomic.
 * <p>
 * The parts are staged in the plugin's state directory (hard links where possible, checked
 * against the manifest) because restic names a snapshot's files after the directory it reads.
 * Manifests of snapshots, which never change, are kept in memory after the first read. Any thread.
 */
@Component(service = BackupStore.class, immediate = true,
        property = BackupStore.NAME_PROPERTY + "=" + ResticBackupStore.NAME,
        configurationPid = ResticBackupStore.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ResticBackupStore.Config.class)
public class ResticBackupStore implements BackupStore {

    static final String NAME = "restic";
    static final String PID = "cloud.hop3.backup.restic";
    private static final DateTimeFormatter RESTIC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final Logger LOG = LoggerFactory.getLogger(ResticBackupStore.class);

    @ObjectClassDefinition(id = PID, name = "Hop3 restic backup store",
            description = "Backups in a restic repository, encrypted and deduplicated, on a local path or an SFTP server.")
    public @interface Config {

        @AttributeDefinition(name = "Repository", description = "The restic repository: an absolute local path,"
                + " or sftp:user@host:/path. Created with restic init on first use when it does not exist.")
        String repository();

        @AttributeDefinition(name = "Password file", description = "Absolute path of the operator's file that holds"
                + " the repository's password, readable by the platform. The platform never copies it: keep a copy"
                + " outside the backups, without it they cannot be read.")
        String passwordFile();

        @AttributeDefinition(name = "SFTP command", required = false, description = "The command that opens the SFTP"
                + " session, passed to restic as -o sftp.command=..., for a port or key other than ssh's defaults,"
                + " for example: ssh -p 2222 -i /etc/hop3/backup_key backup@host -s sftp. Empty: restic's default.")
        String sftpCommand() default "";

        @AttributeDefinition(name = "restic", description = "The restic executable: a name looked up in PATH, or an"
                + " absolute path.")
        String restic() default "restic";

        @AttributeDefinition(name = "Timeout", min = "1", description = "Longest run of one restic command, in"
                + " minutes; it is stopped then and the operation fails.")
        int timeoutMinutes() default 360;
    }

    private final Restic restic;
    private final Path staging;
    private final Map<String, BackupManifest> manifests = new ConcurrentHashMap<>();
    private volatile boolean initialised;

    @Activate
    public ResticBackupStore(@Reference Platform platform, Config config) throws IOException {
        this(config, platform.stateDirectory(PluginKind.BACKUP_STORE, NAME));
    }

    ResticBackupStore(Config config, Path state) throws IOException {
        if (config.repository() == null || config.repository().isBlank()) {
            throw new IllegalArgumentException("Set 'repository' in " + PID + ": a local path or sftp:user@host:/path.");
        }
        if (config.passwordFile() == null || !Path.of(config.passwordFile().trim()).isAbsolute()) {
            throw new IllegalArgumentException("Set 'passwordFile' in " + PID + " to the absolute path of the file"
                    + " that holds the repository's password.");
        }
        this.staging = state.resolve("staging");
        Trees.delete(staging);
        BackupDirectories.createPrivate(staging);
        this.restic = new Restic(config.restic(), config.repository().trim(), Path.of(config.passwordFile().trim()),
                config.sftpCommand(), BackupDirectories.createPrivate(state.resolve("cache")),
                Duration.ofMinutes(config.timeoutMinutes()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String location() {
        return restic.repository();
    }

    @Override
    public void put(BackupManifest manifest, Path directory) throws BackupException, InterruptedException {
        if (find(manifest.id()).isPresent()) {
            throw BackupParts.alreadyStored(manifest.id(), "restic repository " + location());
        }
        Path stage = stageDirectory(manifest);
        try {
            stage(manifest, directory, stage);
            // --ignore-ctime: staging links the parts, which changes their ctime and nothing else
            List<String> backup = new ArrayList<>(List.of("backup", "--host", "hop3", "--ignore-ctime", "--time",
                    RESTIC_TIME.format(manifest.created())));
            for (String tag : ResticSnapshot.tags(manifest)) {
                backup.addAll(List.of("--tag", tag));
            }
            backup.add(stage.getFileName().toString());
            try {
                restic.run(staging, backup);
            } catch (BackupException e) {
                forgetQuietly(manifest.id());
                throw new BackupException("Backup " + manifest.id() + " could not be stored: " + e.getMessage(), e);
            }
            LOG.info("Backup {} of {} stored in restic repository {} ({} bytes)", manifest.id(), manifest.describeSubject(),
                    location(), manifest.size());
        } finally {
            deleteQuietly(stage);
        }
    }

    @Override
    public List<BackupManifest> list() throws BackupException, InterruptedException {
        List<BackupManifest> list = new ArrayList<>();
        List<BackupId> seen = new ArrayList<>();
        for (ResticSnapshot snapshot : snapshots(ResticSnapshot.TAG)) {
            if (!seen.contains(snapshot.backup())) {
                seen.add(snapshot.backup());
                try {
                    list.add(read(snapshot));
                } catch (BackupException e) {
                    LOG.error("Snapshot {} of backup {} is not listed: {}", snapshot.snapshot(), snapshot.backup(),
                            e.getMessage());
                }
            }
        }
        list.sort(BackupParts.NEWEST_FIRST);
        return list;
    }

    @Override
    public Optional<BackupManifest> manifest(BackupId id) throws BackupException, InterruptedException {
        Optional<ResticSnapshot> snapshot = find(id);
        return snapshot.isPresent() ? Optional.of(read(snapshot.get())) : Optional.empty();
    }

    /**
     * Restores the snapshot with one {@code restic restore} into a hidden directory inside
     * {@code directory}, checks each part there and moves it out. When restic fails (a damaged
     * pack), each part is read again alone to name the one that is damaged.
     */
    @Override
    public BackupManifest get(BackupId id, Path directory) throws BackupException, InterruptedException {
        ResticSnapshot snapshot = find(id).orElseThrow(() -> BackupParts.noSuchBackup(id, "restic repository " + location()));
        BackupManifest manifest = read(snapshot);
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory(directory, ".restore-");
            try {
                restic.run(directory, List.of("restore", snapshot.snapshot(), "--target", scratch.toString()));
            } catch (BackupException e) {
                throw damagedPart(snapshot, manifest, scratch, e);
            }
            for (BackupPart part : manifest.parts()) {
                Path restored = scratch.resolve(snapshot.directory()).resolve(part.name());
                BackupParts.verify(manifest, part, restored);
                Files.setPosixFilePermissions(restored, BackupDirectories.FILE);
                Files.move(restored, directory.resolve(part.name()));
            }
        } catch (IOException e) {
            throw new BackupException("Backup " + id + " could not be restored into " + directory + ": " + e, e);
        } finally {
            deleteQuietly(scratch);
        }
        return manifest;
    }

    /** The failure of a restore, naming the first part that restic cannot read alone, else restic's words. */
    private BackupException damagedPart(ResticSnapshot snapshot, BackupManifest manifest, Path scratch,
                                        BackupException failure) throws IOException, InterruptedException {
        Path alone = Files.createTempDirectory(scratch, "part-");
        for (BackupPart part : manifest.parts()) {
            Path target = alone.resolve(part.name());
            try {
                restic.run(alone, List.of("dump", snapshot.snapshot(), snapshot.path(part.name())),
                        in -> BackupParts.receive(manifest, part, in, target));
            } catch (BackupException e) {
                return e.getMessage().contains(" part " + part.name() + " ") ? e
                        : BackupParts.damaged(manifest, part, e.getMessage());
            }
            Files.deleteIfExists(target);
        }
        return new BackupException("Backup " + manifest.id() + " could not be restored: " + failure.getMessage(), failure);
    }

    @Override
    public void delete(BackupId id) throws BackupException, InterruptedException {
        List<ResticSnapshot> snapshots = snapshots(ResticSnapshot.filter(id));
        if (snapshots.isEmpty()) {
            return;
        }
        forget(snapshots);
        LOG.info("Backup {} deleted from restic repository {}", id, location());
    }

    /**
     * The directory a backup is staged in, and named after in its snapshot: the same for every
     * backup of one app ({@code app-<app>}, or {@code platform}), so that restic takes the previous
     * snapshot of that directory as parent and skips the parts that a backup kept from the last one
     * by their size, modification time and inode instead of reading them again. While another
     * backup of the same app is being stored, the backup's id names the directory instead.
     */
    private Path stageDirectory(BackupManifest manifest) throws BackupException {
        Path stable = staging.resolve(manifest.subject().map(app -> "app-" + app).orElse("platform"));
        try {
            return Files.createDirectory(stable);
        } catch (IOException busy) {
            try {
                return Files.createDirectory(staging.resolve(manifest.id().value()));
            } catch (IOException e) {
                throw new BackupException("Backup " + manifest.id() + " is being stored already (" + e + ").", e);
            }
        }
    }

    /** Links (or copies) the parts into {@code stage}, checks them there, and writes the manifest next to them. */
    private void stage(BackupManifest manifest, Path directory, Path stage) throws BackupException, InterruptedException {
        try {
            boolean linked = true;
            for (BackupPart part : manifest.parts()) {
                try {
                    Files.createLink(stage.resolve(part.name()), directory.resolve(part.name()));
                } catch (IOException | UnsupportedOperationException e) {
                    linked = false;
                    break;
                }
            }
            if (linked) {
                BackupParts.check(manifest, stage);
            } else {
                Trees.delete(stage);
                BackupParts.take(manifest, directory, BackupDirectories.createPrivate(stage));
            }
            try (InputStream in = new ByteArrayInputStream(manifest.toBytes())) {
                BackupParts.write(in, stage.resolve(BackupManifest.FILE_NAME));
            }
        } catch (IOException e) {
            throw new BackupException("Backup " + manifest.id() + " could not be prepared in " + stage + ": " + e, e);
        }
    }

    private Optional<ResticSnapshot> find(BackupId id) throws BackupException, InterruptedException {
        return snapshots(ResticSnapshot.filter(id)).stream().findFirst();
    }

    private List<ResticSnapshot> snapshots(String tags) throws BackupException, InterruptedException {
        ensureRepository();
        return ResticSnapshot.parse(restic.run(staging, List.of("snapshots", "--json", "--tag", tags)));
    }

    /** The manifest kept in a snapshot. */
    private BackupManifest read(ResticSnapshot snapshot) throws BackupException, InterruptedException {
        BackupManifest known = manifests.get(snapshot.snapshot());
        if (known != null) {
            return known;
        }
        byte[] text = restic.run(staging, List.of("dump", snapshot.snapshot(), snapshot.path(BackupManifest.FILE_NAME)));
        BackupManifest manifest;
        try {
            manifest = BackupParts.readManifest(new ByteArrayInputStream(text), snapshot.backup(),
                    "restic repository " + location());
        } catch (IOException e) {
            throw new IllegalStateException("A manifest in memory cannot fail to be read", e);
        }
        manifests.put(snapshot.snapshot(), manifest);
        return manifest;
    }

    private void forget(List<ResticSnapshot> snapshots) throws BackupException, InterruptedException {
        List<String> forget = new ArrayList<>(List.of("forget", "--prune"));
        snapshots.forEach(s -> forget.add(s.snapshot()));
        restic.run(staging, forget);
        snapshots.forEach(s -> manifests.remove(s.snapshot()));
    }

    /** Removes what a failed backup may have left as a snapshot (restic exits 3 when it saved one with files missing). */
    private void forgetQuietly(BackupId id) throws InterruptedException {
        try {
            List<ResticSnapshot> left = snapshots(ResticSnapshot.filter(id));
            if (!left.isEmpty()) {
                forget(left);
            }
        } catch (BackupException e) {
            LOG.error("Backup {} failed, and what it left in {} could not be removed: {}", id, location(), e.getMessage());
        }
    }

    private static void deleteQuietly(Path directory) {
        try {
            if (directory != null) {
                Trees.delete(directory);
            }
        } catch (IOException e) {
            LOG.warn("Could not remove {}: {}", directory, e.toString());
        }
    }

    /** Initialises the repository on first use, when restic finds none at its location. */
    private void ensureRepository() throws BackupException, InterruptedException {
        if (initialised) {
            return;
        }
        synchronized (this) {
            if (initialised) {
                return;
            }
            try {
                restic.run(staging, List.of("cat", "config"));
            } catch (BackupException e) {
                if (!e.getMessage().contains(Restic.NO_REPOSITORY)) {
                    throw e;
                }
                restic.run(staging, List.of("init"));
                LOG.info("Initialised restic repository {}", location());
            }
            initialised = true;
        }
    }
}
