package cloud.hop3.plugin.support.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupId;
import cloud.hop3.api.backup.BackupManifest;
import cloud.hop3.api.backup.BackupPart;

/**
 * What every backup store does with parts, written once so that the stores agree on what a good
 * part is: checking a directory against a manifest before a put, and copying a stored part out
 * while hashing it, so that a damaged part is refused with its name rather than handed back.
 * Stateless; any thread.
 */
public final class BackupParts {

    /** Newest first ({@code created}), then by id, highest first: the order of {@code BackupStore.list}. */
    public static final Comparator<BackupManifest> NEWEST_FIRST = Comparator.comparing(BackupManifest::created)
            .thenComparing(BackupManifest::id).reversed();

    private static final int BUFFER = 64 * 1024;

    private BackupParts() {
    }

    /** The size and lower-case hex SHA-256 of bytes read. */
    public record Digest(long size, String sha256) {

        /** Whether this is what {@code part} says. */
        public boolean matches(BackupPart part) {
            return size == part.size() && sha256.equals(part.sha256());
        }

        @Override
        public String toString() {
            return size + " bytes, SHA-256 " + sha256;
        }
    }

    /** Copies {@code in} to {@code out} to its end and returns what went through; neither is closed. */
    public static Digest copy(InputStream in, OutputStream out) throws IOException {
        MessageDigest sha256 = sha256();
        byte[] buffer = new byte[BUFFER];
        long size = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            sha256.update(buffer, 0, n);
            out.write(buffer, 0, n);
            size += n;
        }
        return new Digest(size, HexFormat.of().formatHex(sha256.digest()));
    }

    /** The digest of a file. */
    public static Digest digest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return copy(in, OutputStream.nullOutputStream());
        }
    }

    /**
     * Checks that {@code directory} holds every part of {@code manifest} as a regular file of its
     * size and SHA-256 (other files are ignored), before a store takes them.
     *
     * @throws BackupException naming the first part that is missing or does not match
     */
    public static void check(BackupManifest manifest, Path directory) throws BackupException, InterruptedException {
        take(manifest, directory, null);
    }

    /**
     * Copies every part of {@code manifest} from {@code directory} into {@code target} (owner-only
     * files, forced to disk), checking each on the way as {@link #check} does; with a null
     * {@code target}, only checks.
     *
     * @throws BackupException naming the first part that is missing or does not match
     */
    public static void take(BackupManifest manifest, Path directory, Path target)
            throws BackupException, InterruptedException {
        take(manifest, directory, target, part -> Optional.empty());
    }

    /**
     * As {@link #take}, except that a part for which {@code held} gives a file the store holds
     * already with that part's size and SHA-256 (checked when it was stored) is checked in
     * {@code directory} as every part is, then hard-linked from that file into {@code target}
     * instead of written again: a store that keeps files keeps identical parts once.
     */
    public static void take(BackupManifest manifest, Path directory, Path target,
                            Function<BackupPart, Optional<Path>> held) throws BackupException, InterruptedException {
        for (BackupPart part : manifest.parts()) {
            stopIfInterrupted();
            Path file = directory.resolve(part.name());
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new BackupException("Backup " + manifest.id() + " refused: part " + part.name()
                        + " is not a file in " + directory + ".");
            }
            Digest found;
            Optional<Path> same = target == null ? Optional.empty() : held.apply(part);
            try (InputStream in = Files.newInputStream(file)) {
                if (same.isPresent()) {
                    found = copy(in, OutputStream.nullOutputStream());
                    if (found.matches(part) && !linked(same.get(), part, target.resolve(part.name()))) {
                        try (InputStream again = Files.newInputStream(file)) {
                            found = write(again, target.resolve(part.name()));
                        }
                    }
                } else {
                    found = target == null ? copy(in, OutputStream.nullOutputStream()) : write(in, target.resolve(part.name()));
                }
            } catch (ClosedByInterruptException e) {
                throw interrupted();
            } catch (IOException e) {
                throw new BackupException("Backup " + manifest.id() + " refused: part " + part.name()
                        + " cannot be copied: " + e, e);
            }
            if (!found.matches(part)) {
                throw new BackupException("Backup " + manifest.id() + " refused: part " + part.name() + " is " + found
                        + ", but the manifest says " + part.size() + " bytes, SHA-256 " + part.sha256() + ".");
            }
        }
    }

    /** Whether {@code held}, still a regular file of the part's size, is now also {@code link}. */
    private static boolean linked(Path held, BackupPart part, Path link) {
        try {
            if (!Files.isRegularFile(held, LinkOption.NOFOLLOW_LINKS) || Files.size(held) != part.size()) {
                return false;
            }
            Files.createLink(link, held);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Writes {@code in} to the new owner-only file {@code file}, forced to disk, and returns what was written. */
    public static Digest write(InputStream in, Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(BackupDirectories.FILE))) {
            Digest written = copy(in, Channels.newOutputStream(channel));
            channel.force(true);
            return written;
        }
    }

    /**
     * Writes a stored part to {@code target} (a new file) from {@code in}, hashing it on the way;
     * when it is not what the manifest says, the file is removed and the part refused.
     *
     * @throws BackupException naming the part, when it is damaged or cannot be read
     */
    public static void receive(BackupManifest manifest, BackupPart part, InputStream in, Path target)
            throws BackupException, InterruptedException {
        Digest found;
        try {
            found = write(in, target);
        } catch (ClosedByInterruptException e) {
            deleteQuietly(target);
            throw interrupted();
        } catch (IOException e) {
            deleteQuietly(target);
            throw damaged(manifest, part, "it cannot be read: " + e);
        }
        if (!found.matches(part)) {
            deleteQuietly(target);
            throw damaged(manifest, part, "the store holds " + found + " where the manifest says "
                    + part.size() + " bytes, SHA-256 " + part.sha256());
        }
    }

    /**
     * Checks a part that a store has put back as {@code file} (restored by a tool), without
     * copying it.
     *
     * @throws BackupException naming the part, when it is missing or not what the manifest says
     */
    public static void verify(BackupManifest manifest, BackupPart part, Path file) throws BackupException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw damaged(manifest, part, "it is missing");
        }
        Digest found;
        try {
            found = digest(file);
        } catch (IOException e) {
            throw damaged(manifest, part, "it cannot be read: " + e);
        }
        if (!found.matches(part)) {
            throw damaged(manifest, part, "the store holds " + found + " where the manifest says "
                    + part.size() + " bytes, SHA-256 " + part.sha256());
        }
    }

    /**
     * Reads the manifest that a store keeps for backup {@code id} at {@code location}.
     *
     * @throws BackupException when it is damaged or is the manifest of another backup
     * @throws IOException     when it cannot be read ({@link java.nio.file.NoSuchFileException} when absent)
     */
    public static BackupManifest readManifest(InputStream in, BackupId id, String location)
            throws BackupException, IOException {
        BackupManifest manifest;
        try {
            manifest = BackupManifest.read(in);
        } catch (BackupException e) {
            throw new BackupException("Backup " + id + " in " + location + ": " + e.getMessage(), e);
        }
        if (!manifest.id().equals(id)) {
            throw new BackupException("Backup " + id + " in " + location + " holds the manifest of backup "
                    + manifest.id() + ".");
        }
        return manifest;
    }

    /** The refusal of a put whose id the store at {@code location} holds already. */
    public static BackupException alreadyStored(BackupId id, String location) {
        return new BackupException("There is already a backup " + id + " in " + location + "; a backup is never replaced.");
    }

    /** The failure of a get of an id that the store at {@code location} does not hold. */
    public static BackupException noSuchBackup(BackupId id, String location) {
        return new BackupException("There is no backup " + id + " in " + location + " (see backup:list).");
    }

    /** The failure of reading a part back, naming it and the backup. */
    public static BackupException damaged(BackupManifest manifest, BackupPart part, String reason) {
        return new BackupException("Backup " + manifest.id() + " is damaged: part " + part.name() + " does not"
                + " come back as it was stored (" + reason + ").");
    }

    /** Throws when the calling thread was interrupted, so that a long put or get stops between parts. */
    public static void stopIfInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("Backup interrupted");
        }
    }

    /** The interruption of a copy whose channel the interrupt closed; the thread's flag is cleared, as an InterruptedException says. */
    private static InterruptedException interrupted() {
        Thread.interrupted();
        return new InterruptedException("Backup interrupted");
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the caller's scratch directory; the failure reported is the part's
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This Java has no SHA-256", e);
        }
    }
}
