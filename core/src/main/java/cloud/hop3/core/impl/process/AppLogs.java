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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.AppName;

/**
 * The log files of an app's processes: {@code HOP3_HOME/apps/<app>/logs/<type>.<index>.log},
 * with rotated ones next to them ({@code .1} the newest).
 * <p>
 * An app's log is read as the tails of these files in the order they were last written to
 * (modification time, oldest first), each line prefixed with {@code <type>.<index> | }. Lines of
 * different processes are not interleaved by time: the files carry no timestamps of their own.
 */
final class AppLogs {

    private static final Logger LOG = LoggerFactory.getLogger(AppLogs.class);
    private static final String SUFFIX = ".log";

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

    /** The last {@code lines} lines of the app's process logs, oldest first, with prefixes. */
    List<String> tail(AppName app, int lines) {
        if (lines <= 0) {
            return List.of();
        }
        List<Path> files = liveFiles(directory(app));
        files.sort(Comparator.comparing(AppLogs::modified).thenComparing(Path::toString));
        List<String> result = new ArrayList<>();
        for (Path live : files) {
            String name = live.getFileName().toString();
            String prefix = name.substring(0, name.length() - SUFFIX.length()) + " | ";
            try {
                List<String> own = new ArrayList<>(LogTail.lastLines(live, lines));
                if (own.size() < lines) {
                    own.addAll(0, LogTail.lastLines(LogRotator.rotated(live, 1), lines - own.size()));
                }
                own.forEach(line -> result.add(prefix + line));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the log " + live, e);
            }
        }
        return result.size() <= lines ? result : new ArrayList<>(result.subList(result.size() - lines, result.size()));
    }

    private static List<Path> liveFiles(Path dir) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path p : entries) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
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
