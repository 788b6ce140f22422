package cloud.hop3.metrics;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.AppName;

/**
 * The minute series on disk, under {@code HOP3_HOME/metrics/}: {@code platform.bin}, and
 * {@code apps/<app>.bin} with every process type of an app. A file is a magic number, a format
 * version, the number of fields of a row, then its rings (see {@link MinuteRing#write}); it is
 * written whole to a temporary file, forced to disk and renamed over the old one, so a reader
 * (the next start) finds the old file or the new one, never a mix. A file that cannot be read is
 * set aside as {@code .bad} and the series starts empty.
 */
final class HistoryFiles {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryFiles.class);
    private static final int MAGIC = 0x48334d53; // "H3MS"
    private static final int VERSION = 1;

    private final Path root;

    HistoryFiles(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    private Path apps() {
        return root.resolve("apps");
    }

    Path appFile(AppName app) {
        return apps().resolve(app.value() + ".bin");
    }

    /** Writes an app's rings, by process type. */
    void saveApp(AppName app, Map<String, MinuteRing> types) throws IOException {
        write(appFile(app), out -> {
            out.writeInt(types.size());
            for (Map.Entry<String, MinuteRing> e : types.entrySet()) {
                out.writeUTF(e.getKey());
                e.getValue().write(out);
            }
        }, TypeSeries.FIELDS);
    }

    void savePlatform(MinuteRing ring) throws IOException {
        write(root.resolve("platform.bin"), ring::write, PlatformMeters.FIELDS);
    }

    void deleteApp(AppName app) throws IOException {
        Files.deleteIfExists(appFile(app));
    }

    /** What is done with each process type's ring read from an app's file. */
    @FunctionalInterface
    interface TypeReader {
        MinuteRing ring(AppName app, String type);
    }

    /** Reads every app's file into the rings {@code rings} gives, keeping minutes after {@code oldest}. */
    void loadApps(TypeReader rings, long oldest) {
        if (!Files.isDirectory(apps())) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(apps(), "*.bin")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                AppName app;
                try {
                    app = AppName.of(name.substring(0, name.length() - 4));
                } catch (IllegalArgumentException e) {
                    LOG.warn("Metrics: ignoring {}, not named after an app", file);
                    continue;
                }
                read(file, TypeSeries.FIELDS, in -> {
                    int types = in.readInt();
                    if (types < 0 || types > 1000) {
                        throw new IOException("it claims " + types + " process types");
                    }
                    Map<String, MinuteRing> read = new LinkedHashMap<>();
                    for (int i = 0; i < types; i++) {
                        String type = in.readUTF();
                        MinuteRing ring = new MinuteRing(rings.ring(app, type).capacity(), TypeSeries.FIELDS);
                        ring.read(in, oldest);
                        read.put(type, ring);
                    }
                    // only once the whole file was read: a bad file changes nothing
                    read.forEach((type, ring) -> ring.each(rings.ring(app, type)::put));
                });
            }
        } catch (IOException e) {
            LOG.error("Metrics: cannot list {}: {}", apps(), e.getMessage());
        }
    }

    void loadPlatform(MinuteRing ring, long oldest) {
        Path file = root.resolve("platform.bin");
        if (Files.exists(file)) {
            read(file, PlatformMeters.FIELDS, in -> {
                MinuteRing read = new MinuteRing(ring.capacity(), PlatformMeters.FIELDS);
                read.read(in, oldest);
                read.each(ring::put);
            });
        }
    }

    @FunctionalInterface
    private interface Body<T> {
        void accept(T t) throws IOException;
    }

    private static void read(Path file, int fields, Body<DataInputStream> body) {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("it is not a metrics file");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("its format " + version + " is not " + VERSION);
            }
            int f = in.readInt();
            if (f != fields) {
                throw new IOException("its rows have " + f + " fields, not " + fields);
            }
            body.accept(in);
        } catch (IOException | RuntimeException e) {
            Path bad = file.resolveSibling(file.getFileName() + ".bad");
            LOG.error("Metrics: cannot read {} ({}); it is kept as {} and its series start empty", file, e.getMessage(), bad);
            try {
                Files.move(file, bad, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moved) {
                LOG.error("Metrics: cannot move {} aside: {}", file, moved.getMessage());
            }
        }
    }

    private static void write(Path file, Body<DataOutputStream> body, int fields) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream raw = Files.newOutputStream(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(fields);
            body.accept(out);
        }
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("the file system of " + file.getParent() + " cannot rename atomically", e);
        }
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems refuse to open a directory; the rename itself is done
        }
    }
}
