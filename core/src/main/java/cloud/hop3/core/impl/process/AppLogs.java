package cloud.hop3.core.impl.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.process.LogChunk;

/**
 * The log files of an app's processes: {@code HOP3_HOME/apps/<app>/logs/<type>.<index>.log},
 * with rotated ones next to them ({@code .1} the newest).
 * <p>
 * An app's log is read as the tails of these files in the order they were last written to
 * (modification time, oldest first), each line prefixed with {@code <type>.<index> | }. Lines of
 * different processes are not interleaved by time: the files carry no timestamps of their own.
 * A reader follows the logs with a {@link LogCursor}, one position per process in its
 * {@link ProcessLog}; reading and rotating hold one lock, so a rotation never moves the files
 * under a reader.
 */
final class AppLogs {

    private static final Logger LOG = LoggerFactory.getLogger(AppLogs.class);
    private static final String SUFFIX = ".log";
    private static final String PREFIX_END = " | ";

    private final Path appsDirectory;

    AppLogs(Path appsDirectory) {
        this.appsDirectory = appsDirectory;
    }

    /** The directory of an app's logs. */
    Path directory(AppName app) {
        return appsDirectory.resolve(app.value()).resolve("logs");
    }

    /** The live log file of one process. */
    Path file(AppName app, String type, int index) {
        return directory(app).resolve(type + "." + index + SUFFIX);
    }

    /** Appends a line from the platform ({@code [hop3] <instant> <message>}) to a process log. */
    void note(Path log, String message) {
        String line = "[hop3] " + Instant.now() + " " + message + "\n";
        try {
            Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            LOG.debug("Cannot write to {}: {}", log, e.getMessage());
        }
    }

    /**
     * The last {@code lines} complete lines of the app's process logs, oldest first, with
     * prefixes, and the position after them.
     */
    synchronized LogChunk tail(AppName app, int lines) {
        Map<String, Long> positions = new TreeMap<>();
        List<String> result = new ArrayList<>();
        for (Path live : sortedLiveFiles(app)) {
            String process = process(live);
            try {
                ProcessLog.Lines own = new ProcessLog(live).last(Math.max(0, lines));
                own.lines().forEach(line -> result.add(process + PREFIX_END + line));
                positions.put(process, own.next());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the log " + live, e);
            }
        }
        List<String> last = result.size() <= lines ? result : result.subList(result.size() - lines, result.size());
        return new LogChunk(last, new LogCursor(positions).toString());
    }

    /**
     * The complete lines of the app's process logs written from {@code from} on, at most
     * {@code max}: process by process, in the order they were last written to.
     *
     * @throws IllegalArgumentException when {@code from} is not a cursor
     */
    synchronized LogChunk read(AppName app, String from, int max) {
        LogCursor cursor = LogCursor.parse(from);
        Map<String, Long> positions = new TreeMap<>();
        List<String> result = new ArrayList<>();
        for (Path live : sortedLiveFiles(app)) {
            String process = process(live);
            try {
                ProcessLog log = new ProcessLog(live);
                Long known = cursor.positions().get(process);
                // a process the cursor does not know started after it: read it from its start
                ProcessLog.Lines own = log.read(known == null ? Long.MIN_VALUE : known, max - result.size());
                own.lines().forEach(line -> result.add(process + PREFIX_END + line));
                positions.put(process, own.lines().isEmpty() && known != null ? known : own.next());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the log " + live, e);
            }
        }
        return new LogChunk(result, new LogCursor(positions).toString());
    }

    /**
     * Rotates a process log when it grew too large, keeping positions of readers valid.
     *
     * @return whether it was rotated
     */
    synchronized boolean rotate(LogRotator rotator, Path live) throws IOException {
        return rotator.rotateIfNeeded(live);
    }

    private List<Path> sortedLiveFiles(AppName app) {
        List<Path> files = liveFiles(directory(app));
        files.sort(Comparator.comparing(AppLogs::modified).thenComparing(Path::toString));
        return files;
    }

    private static String process(Path live) {
        String name = live.getFileName().toString();
        return name.substring(0, name.length() - SUFFIX.length());
    }

    private static List<Path> liveFiles(Path dir) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : entries) {
                // process logs only: type.index.log, which a log cursor can name
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        && p.getFileName().toString().matches("[A-Za-z0-9_.-]{1,200}\\.log")) {
                    files.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the logs in " + dir, e);
        }
        return files;
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
