package cloud.hop3.backup.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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
import cloud.hop3.plugin.support.files.AtomicFiles;
import cloud.hop3.plugin.support.files.Trees;

/**
 * The embedded default backup store: a directory on this machine with one sub-directory per
 * backup, named by its id, holding {@code manifest.txt} and the parts as plain files, so that
 * {@code cat} and {@code sha256sum} are enough to read a backup. Directories are 0700 and files
 * 0600: a backup holds an app's data and its (encrypted) secrets.
 * <p>
 * A part of the same size and SHA-256 as one a stored backup holds is checked as every part is,
 * then hard-linked to that file instead of copied: a second backup of unchanged data costs its
 * manifest. A file shared so is one copy on disk for every backup that holds it (deleting one
 * backup leaves it to the others; damage to it shows in each of them, and {@link #get} refuses
 * it in each).
 * <p>
 * A put copies the parts into a hidden sibling ({@code .put-<id>-<random>}), checking each on the
 * way, forces them to disk and renames the sibling to the id: a backup is listed whole or not at
 * all, and a second put of the same id loses the rename. A delete renames the backup away first
 * for the same reason. Siblings left by an interrupted put or delete are removed at activation and
 * never listed. Any thread.
 */
@Component(service = BackupStore.class, immediate = true,
        property = BackupStore.NAME_PROPERTY + "=" + LocalBackupStore.NAME,
        configurationPid = LocalBackupStore.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = LocalBackupStore.Config.class)
public class LocalBackupStore implements BackupStore {

    static final String NAME = "local";
    static final String PID = "cloud.hop3.backup.local";
    private static final String PUTTING = ".put-";
    private static final String DELETING = ".delete-";
    private static final Logger LOG = LoggerFactory.getLogger(LocalBackupStore.class);

    @ObjectClassDefinition(id = PID, name = "Hop3 local backup store",
            description = "Backups kept in a directory of this machine.")
    public @interface Config {

        @AttributeDefinition(name = "Directory", required = false, description = "The absolute path of the"
                + " directory that holds the backups, created owner-only when missing. Empty means the plugin's"
                + " state directory, backup-stores/local in the platform's home.")
        String directory() default "";
    }

    private final Path root;

    @Activate
    public LocalBackupStore(@Reference Platform platform, Config config) throws IOException {
        this(config.directory().isBlank() ? platform.stateDirectory(PluginKind.BACKUP_STORE, NAME)
                : Path.of(config.directory().trim()));
    }

    /** A store in {@code root}, created when missing; leftovers of interrupted puts and deletes are removed. */
    LocalBackupStore(Path root) throws IOException {
        if (!root.isAbsolute()) {
            throw new IllegalArgumentException("The local backup store's directory must be an absolute path: " + root);
        }
        this.root = BackupDirectories.createPrivate(root);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, e -> isLeftover(e.getFileName().toString()))) {
            for (Path leftover : entries) {
                LOG.info("Removing {}, left by an interrupted backup put or delete", leftover);
                Trees.delete(leftover);
            }
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public void put(BackupManifest manifest, Path directory) throws BackupException, InterruptedException {
        Path target = root.resolve(manifest.id().value());
        refuseExisting(manifest.id(), target);
        Path temporary = root.resolve(PUTTING + manifest.id() + "-" + UUID.randomUUID());
        boolean stored = false;
        try {
            BackupDirectories.createPrivate(temporary);
            Map<String, Path> held = held();
            BackupParts.take(manifest, directory, temporary,
                    part -> Optional.ofNullable(held.get(part.size() + " " + part.sha256())));
            try (InputStream in = new ByteArrayInputStream(manifest.toBytes())) {
                BackupParts.write(in, temporary.resolve(BackupManifest.FILE_NAME));
            }
            AtomicFiles.forceDirectory(temporary);
            refuseExisting(manifest.id(), target);
            try {
                rename(temporary, target);
            } catch (IOException e) {
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw exists(manifest.id());
                }
                throw e;
            }
            AtomicFiles.forceDirectory(root);
            stored = true;
            LOG.info("Backup {} of {} stored in {} ({} bytes)", manifest.id(), manifest.describeSubject(), target, manifest.size());
        } catch (IOException e) {
            throw new BackupException("Backup " + manifest.id() + " could not be stored in " + root + ": " + e, e);
        } finally {
            if (!stored) {
                deleteQuietly(temporary);
            }
        }
    }

    @Override
    public List<BackupManifest> list() throws BackupException {
        List<BackupManifest> manifests = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root,
                e -> BackupId.isValid(e.getFileName().toString()))) {
            for (Path entry : entries) {
                try {
                    read(BackupId.of(entry.getFileName().toString())).ifPresent(manifests::add);
                } catch (BackupException e) {
                    LOG.error("Backup directory {} is not listed: {}", entry, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new BackupException("The backups in " + root + " cannot be listed: " + e, e);
        }
        manifests.sort(BackupParts.NEWEST_FIRST);
        return manifests;
    }

    @Override
    public Optional<BackupManifest> manifest(BackupId id) throws BackupException {
        return read(id);
    }

    @Override
    public BackupManifest get(BackupId id, Path directory) throws BackupException, InterruptedException {
        BackupManifest manifest = read(id).orElseThrow(() -> BackupParts.noSuchBackup(id, location()));
        Path stored = root.resolve(id.value());
        for (BackupPart part : manifest.parts()) {
            Path file = stored.resolve(part.name());
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw BackupParts.damaged(manifest, part, "it is missing from " + stored);
            }
            try (InputStream in = Files.newInputStream(file)) {
                BackupParts.receive(manifest, part, in, directory.resolve(part.name()));
            } catch (IOException e) {
                throw BackupParts.damaged(manifest, part, "it cannot be read: " + e);
            }
            BackupParts.stopIfInterrupted();
        }
        return manifest;
    }

    @Override
    public void delete(BackupId id) throws BackupException {
        Path stored = root.resolve(id.value());
        if (!Files.exists(stored, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path deleting = root.resolve(DELETING + id + "-" + UUID.randomUUID());
        try {
            rename(stored, deleting);
            Trees.delete(deleting);
            LOG.info("Backup {} deleted from {}", id, root);
        } catch (NoSuchFileException e) {
            // deleted meanwhile
        } catch (IOException e) {
            throw new BackupException("Backup " + id + " could not be deleted from " + root + ": " + e, e);
        }
    }

    /** The manifest of the backup {@code id}, empty when there is no such backup. */
    private Optional<BackupManifest> read(BackupId id) throws BackupException {
        Path file = root.resolve(id.value()).resolve(BackupManifest.FILE_NAME);
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(BackupParts.readManifest(in, id, location()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BackupException("The manifest of backup " + id + " cannot be read: " + e, e);
        }
    }

    /**
     * The parts this store holds, by size and SHA-256, each the file of the newest backup that
     * holds it: a put links an identical part to it rather than write it again.
     */
    private Map<String, Path> held() throws BackupException {
        Map<String, Path> held = new HashMap<>();
        for (BackupManifest stored : list()) {
            for (BackupPart part : stored.parts()) {
                held.putIfAbsent(part.size() + " " + part.sha256(), root.resolve(stored.id().value()).resolve(part.name()));
            }
        }
        return held;
    }

    private void refuseExisting(BackupId id, Path target) throws BackupException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw exists(id);
        }
    }

    private BackupException exists(BackupId id) {
        return BackupParts.alreadyStored(id, location());
    }

    private static boolean isLeftover(String name) {
        return name.startsWith(PUTTING) || name.startsWith(DELETING);
    }

    /** Renames a directory atomically; an existing, non-empty target makes it fail. */
    private static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + to.getParent() + " cannot rename atomically", e);
        }
    }

    private static void deleteQuietly(Path directory) {
        try {
            Trees.delete(directory);
        } catch (IOException e) {
            LOG.warn("Could not remove {}: {}; it is removed at the next activation", directory, e.toString());
        }
    }
}
