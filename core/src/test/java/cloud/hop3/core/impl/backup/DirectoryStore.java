package cloud.hop3.core.impl.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupId;
import cloud.hop3.api.backup.BackupManifest;
import cloud.hop3.api.backup.BackupPart;
import cloud.hop3.api.backup.BackupStore;
import cloud.hop3.plugin.support.files.Trees;

/** A backup store in a directory, one directory per backup with its manifest: enough for core's tests. */
final class DirectoryStore implements BackupStore {

    private final Path root;

    DirectoryStore(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    /** Where a part of a backup is kept, for tests that damage it. */
    Path file(BackupId id, String part) {
        return root.resolve(id.value()).resolve(part);
    }

    @Override
    public String name() {
        return "dir";
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public void put(BackupManifest manifest, Path directory) throws BackupException {
        PartFiles.check(manifest, directory);
        Path dir = root.resolve(manifest.id().value());
        if (Files.exists(dir)) {
            throw new BackupException("Backup " + manifest.id() + " exists.");
        }
        try {
            Files.createDirectory(dir);
            for (BackupPart p : manifest.parts()) {
                Files.copy(directory.resolve(p.name()), dir.resolve(p.name()));
            }
            try (OutputStream out = Files.newOutputStream(dir.resolve(BackupManifest.FILE_NAME))) {
                manifest.write(out);
            }
        } catch (IOException e) {
            throw new BackupException(e.getMessage(), e);
        }
    }

    @Override
    public List<BackupManifest> list() throws BackupException {
        List<BackupManifest> all = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                manifest(BackupId.of(dir.getFileName().toString())).ifPresent(all::add);
            }
        } catch (IOException e) {
            throw new BackupException(e.getMessage(), e);
        }
        all.sort(Comparator.comparing(BackupManifest::created).reversed());
        return all;
    }

    @Override
    public Optional<BackupManifest> manifest(BackupId id) throws BackupException {
        Path file = root.resolve(id.value()).resolve(BackupManifest.FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(BackupManifest.read(in));
        } catch (IOException e) {
            throw new BackupException(e.getMessage(), e);
        }
    }

    @Override
    public BackupManifest get(BackupId id, Path directory) throws BackupException {
        BackupManifest m = manifest(id).orElseThrow(() -> new BackupException("No backup " + id));
        try {
            for (BackupPart p : m.parts()) {
                Path from = root.resolve(id.value()).resolve(p.name());
                if (Files.exists(from)) {
                    Files.copy(from, directory.resolve(p.name()));
                }
            }
        } catch (IOException e) {
            throw new BackupException(e.getMessage(), e);
        }
        return m;
    }

    @Override
    public void delete(BackupId id) throws BackupException {
        try {
            Path dir = root.resolve(id.value());
            if (Files.exists(dir)) {
                Trees.delete(dir);
            }
        } catch (IOException e) {
            throw new BackupException(e.getMessage(), e);
        }
    }
}
