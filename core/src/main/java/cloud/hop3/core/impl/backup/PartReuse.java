package cloud.hop3.core.impl.backup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.backup.BackupPart;
import cloud.hop3.core.impl.state.DocumentStore;
import cloud.hop3.plugin.support.files.Trees;

/**
 * The parts of an app's last backup, kept for its next one: each with the mark of what it was
 * taken from (a {@link ListingMark} of the data directory or the repository, an add-on's
 * change mark), read before the part was taken. When the next backup reads an equal mark, the
 * part is still exact and is linked into the new backup instead of taken again; any other mark,
 * or none, takes it again. A part whose mark could not be read is never kept.
 * <p>
 * Kept in {@code apps/<app>/backup-reuse/} (owner-only: it holds the app's data and dumps),
 * with {@code reuse.json} listing each part's mark, size, SHA-256 and attributes. The parts are
 * hard links to the files the backup was taken into (copies where the file system cannot
 * link), so the cache costs the size of the app's last backup and nothing more. It is replaced
 * whole after each backup: a new directory is filled and renamed into place, so the list and
 * its files always belong together; a stop in between leaves no cache, and the next backup
 * takes everything. A destroy of the app removes it with the app's state.
 * <p>
 * The SHA-256 of a reused part comes from the list, not from reading the file again: every
 * store checks each part against the manifest when it takes it, so a damaged cached file fails
 * that put, and {@link #forget} then drops the cache so that the next backup takes all again.
 */
final class PartReuse {

    static final String DIRECTORY = "backup-reuse";
    private static final String LIST = "reuse.json";
    private static final Logger LOG = LoggerFactory.getLogger(PartReuse.class);

    /** One kept part. */
    record Entry(String name, String mark, long size, String sha256, Map<String, String> attributes) {
    }

    /** The list of kept parts. */
    record Kept(List<Entry> parts) {
    }

    private final Path appDirectory;
    private final Map<String, Entry> previous = new LinkedHashMap<>();
    private final Map<String, String> marks = new LinkedHashMap<>();

    private PartReuse(Path appDirectory) {
        this.appDirectory = appDirectory;
    }

    /** What the last backup of the app in {@code appDirectory} kept; nothing when it kept nothing or the list cannot be read. */
    static PartReuse of(Path appDirectory) {
        PartReuse reuse = new PartReuse(appDirectory);
        Path cache = appDirectory.resolve(DIRECTORY);
        if (Files.isDirectory(cache, LinkOption.NOFOLLOW_LINKS)) {
            try {
                new DocumentStore(cache).read(Path.of(LIST), Kept.class)
                        .ifPresent(k -> k.parts().forEach(e -> reuse.previous.put(e.name(), e)));
            } catch (IOException | RuntimeException e) {
                LOG.warn("The parts kept from the last backup in {} cannot be read, all are taken again: {}", cache,
                        e.getMessage());
            }
        }
        return reuse;
    }

    /**
     * Links the kept part {@code name} into {@code dir} when it was kept with a mark equal to
     * {@code mark}, and returns it as the last backup recorded it; empty otherwise, and the caller
     * takes the part. Either way, {@code mark} is what this backup's part is kept with.
     */
    Optional<BackupPart> reuse(String name, Optional<String> mark, Path dir) {
        marks.remove(name);
        mark.ifPresent(m -> marks.put(name, m));
        Entry entry = previous.get(name);
        if (mark.isEmpty() || entry == null || !entry.mark().equals(mark.get())) {
            return Optional.empty();
        }
        Path kept = appDirectory.resolve(DIRECTORY).resolve(name);
        try {
            if (!Files.isRegularFile(kept, LinkOption.NOFOLLOW_LINKS) || Files.size(kept) != entry.size()) {
                LOG.warn("The kept part {} in {} is missing or of another size; it is taken again", name, kept.getParent());
                return Optional.empty();
            }
            link(kept, dir.resolve(name));
            return Optional.of(new BackupPart(name, entry.size(), entry.sha256(), entry.attributes()));
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("The kept part {} in {} cannot be used, it is taken again: {}", name, kept.getParent(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Keeps, for the next backup, each of {@code parts} (files in {@code dir}) that has a mark,
     * replacing what was kept. A failure is logged: the next backup then takes everything.
     */
    void keep(List<BackupPart> parts, Path dir) {
        Path cache = appDirectory.resolve(DIRECTORY);
        Path fresh = appDirectory.resolve(DIRECTORY + ".new-" + UUID.randomUUID());
        Path old = appDirectory.resolve(DIRECTORY + ".old-" + UUID.randomUUID());
        try {
            removeLeftovers();
            Files.createDirectory(fresh, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            List<Entry> entries = new ArrayList<>();
            for (BackupPart part : parts) {
                String mark = marks.get(part.name());
                if (mark != null) {
                    link(dir.resolve(part.name()), fresh.resolve(part.name()));
                    entries.add(new Entry(part.name(), mark, part.size(), part.sha256(), part.attributes()));
                }
            }
            new DocumentStore(fresh).writePrivate(Path.of(LIST), new Kept(entries));
            if (Files.exists(cache, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(cache, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(fresh, cache, StandardCopyOption.ATOMIC_MOVE);
            Trees.delete(old);
        } catch (IOException | RuntimeException e) {
            LOG.warn("The parts of this backup could not be kept in {}; the next backup takes all again: {}", cache,
                    e.toString());
            forget(appDirectory);
        } finally {
            try {
                Trees.delete(fresh);
            } catch (IOException e) {
                LOG.warn("Cannot remove {}: {}", fresh, e.getMessage());
            }
        }
    }

    /** Drops what is kept for the app in {@code appDirectory}: its next backup takes every part. */
    static void forget(Path appDirectory) {
        try {
            Trees.delete(appDirectory.resolve(DIRECTORY));
        } catch (IOException e) {
            LOG.warn("Cannot remove {}: {}", appDirectory.resolve(DIRECTORY), e.getMessage());
        }
    }

    /** Removes directories that a stop during {@link #keep} left. */
    private void removeLeftovers() throws IOException {
        try (DirectoryStream<Path> left = Files.newDirectoryStream(appDirectory, DIRECTORY + ".*")) {
            for (Path p : left) {
                Trees.delete(p);
            }
        }
    }

    /** A hard link of {@code from} at {@code to}, or a copy where the file system cannot link them. */
    private static void link(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (UnsupportedOperationException | IOException e) {
            if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                throw e instanceof IOException io ? io : new IOException(e);
            }
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }
}
