package cloud.hop3.core.impl.isolation;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.platform.StateDirectories;
import cloud.hop3.api.plugin.PluginKind;

/**
 * The modes of the platform's own directories, set at every start so that an installation made
 * before they existed is closed too: {@code HOP3_HOME}, its {@code apps/} and its {@code databases/}
 * may be traversed (not listed) by the apps' users and the database servers' accounts, when apps
 * are isolated, so that each reaches its own directory (each database plugin sets the modes of its
 * own state directory);
 * everything else in the home (keys, the CA and the plugins' state, builds under way) and Karaf's
 * {@code etc/} and {@code data/} (host key, users, logs, the shutdown port) are the platform's
 * user's alone. Only the top entries are closed: a closed directory closes what it holds.
 */
final class HomeModes {

    private static final Logger LOG = LoggerFactory.getLogger(HomeModes.class);
    private static final String TRAVERSE = "rwx--x--x";
    private static final String PRIVATE = "rwx------";

    private HomeModes() {
    }

    static void apply(Path home, boolean isolated) {
        Path absolute = home.toAbsolutePath().normalize();
        String open = isolated ? TRAVERSE : PRIVATE;
        try {
            FileModes.set(absolute, open);
            Path databases = StateDirectories.of(absolute, PluginKind.DATABASE, "any").getParent();
            closeAllBut(absolute, Set.of(absolute.resolve("apps"), databases));
            FileModes.set(absolute.resolve("apps"), open);
            if (Files.isDirectory(databases, LinkOption.NOFOLLOW_LINKS)) {
                FileModes.set(databases, open);
            }
            Optional<Path> etc = karafDirectory("karaf.etc");
            if (etc.isPresent() && !absolute.startsWith(etc.get())) {
                FileModes.close(etc.get());
            }
            Optional<Path> data = karafDirectory("karaf.data");
            if (data.isPresent()) {
                if (absolute.startsWith(data.get()) && !absolute.equals(data.get())) {
                    FileModes.set(data.get(), open);
                    closeAllBut(data.get(), Set.of(data.get().resolve(data.get().relativize(absolute).getName(0))));
                } else if (!absolute.startsWith(data.get())) {
                    FileModes.close(data.get());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("The modes of the platform's directories could not be set: {}", e.toString());
        }
    }

    /** A directory of Karaf's named by a system property, when it is set and exists. */
    static Optional<Path> karafDirectory(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path dir = Path.of(value).toAbsolutePath().normalize();
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    private static void closeAllBut(Path dir, Set<Path> kept) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (!kept.contains(entry) && !Files.isSymbolicLink(entry) && Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
                    FileModes.close(entry);
                }
            }
        }
    }
}
