package cloud.hop3.core.impl.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.OpenOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * JSON documents under a root directory, written atomically: the new content goes to a
 * temporary file in the same directory, is forced to disk, then renamed over the old file, and
 * the directory entry is forced too. A reader therefore sees the old document or the new one,
 * never a mix, also after a crash or a power cut.
 * <p>
 * Callers serialise writes to one document themselves; the store is otherwise stateless.
 */
public final class DocumentStore {

    private static final String TEMP_MARK = ".tmp-";

    private final Path root;
    private final ObjectMapper mapper;

    public DocumentStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.mapper = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** The directory documents are stored under. */
    public Path root() {
        return root;
    }

    /**
     * Reads a document.
     *
     * @param relative path below the root, for example {@code apps/shop/app.json}
     * @return the document, or empty when there is none
     * @throws IOException when the file exists but cannot be read or parsed
     */
    public <T> Optional<T> read(Path relative, Class<T> type) throws IOException {
        Path file = resolve(relative);
        try {
            byte[] bytes = Files.readAllBytes(file);
            T document = mapper.readValue(bytes, type);
            if (document == null) {
                throw new IOException("the document is empty");
            }
            return Optional.of(document);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes a document atomically, creating its directories. */
    public void write(Path relative, Object document) throws IOException {
        write(relative, document, false);
    }

    /**
     * Writes a document atomically, readable and writable by the owner only (where the file
     * system has POSIX permissions): for documents that hold secrets. The permissions are set
     * when the temporary file is created, so the content is never readable by others.
     */
    public void writePrivate(Path relative, Object document) throws IOException {
        write(relative, document, true);
    }

    private void write(Path relative, Object document, boolean ownerOnly) throws IOException {
        Path file = resolve(relative);
        Path dir = file.getParent();
        Files.createDirectories(dir);
        byte[] bytes = mapper.writeValueAsBytes(document);
        Path temp = dir.resolve("." + file.getFileName() + TEMP_MARK + UUID.randomUUID());
        try {
            Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            FileAttribute<?>[] attributes = ownerOnly && supportsPosix(dir)
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                    : new FileAttribute<?>[0];
            try (FileChannel ch = FileChannel.open(temp, options, attributes)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("The state directory " + root + " does not support atomic renames", e);
            }
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * A new empty file in {@code relativeDirectory}, readable by the platform's user only, named
     * like the store's temporary files so that {@link #removeLeftovers} removes it after a crash;
     * whoever asked for it deletes it when done.
     */
    public Path scratchFile(Path relativeDirectory, String purpose) throws IOException {
        Path dir = Files.createDirectories(resolve(relativeDirectory));
        Path file = dir.resolve("." + purpose + TEMP_MARK + UUID.randomUUID());
        FileAttribute<?>[] attributes = supportsPosix(dir)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        return Files.createFile(file, attributes);
    }

    /** Deletes a document; a missing one is not an error. */
    public void delete(Path relative) throws IOException {
        Path file = resolve(relative);
        if (Files.deleteIfExists(file)) {
            forceDirectory(file.getParent());
        }
    }

    /**
     * Removes temporary files that a crash left behind in {@code directory} (not recursive).
     *
     * @return how many were removed
     */
    public int removeLeftovers(Path relativeDirectory) throws IOException {
        Path dir = resolve(relativeDirectory);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*" + TEMP_MARK + "*")) {
            for (Path p : entries) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        }
        return removed;
    }

    private Path resolve(Path relative) {
        Path p = root.resolve(relative).normalize();
        if (relative.isAbsolute() || !p.startsWith(root) || p.equals(root)) {
            throw new IllegalArgumentException("Document path leaves the state directory: " + relative);
        }
        return p;
    }

    private static boolean supportsPosix(Path dir) throws IOException {
        return Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open directories for sync; the rename itself is still atomic.
        }
    }
}
