package cloud.hop3.plugin.support.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which of an app's pushed files a builder may read. A file counts only when it is a regular file
 * whose real path stays inside the app's tree: a symbolic link out of the repository (to a file of
 * the server) is neither read nor allowed to make a builder claim the app.
 */
public final class AppFiles {

    private AppFiles() {
    }

    /**
     * Whether {@code file} is a regular file whose real path is inside {@code tree}; false when
     * either cannot be read.
     */
    public static boolean inside(Path tree, Path file) {
        try {
            return Files.isRegularFile(file) && file.toRealPath().startsWith(tree.toRealPath());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code name}, relative to {@code tree}, is a regular file inside it. */
    public static boolean has(Path tree, String name) {
        try {
            return inside(tree, tree.resolve(name));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Why a builder claims {@code tree}: {@code found <name>} for the first of {@code names} that
     * is a regular file inside it ({@link #has}); empty when none is.
     */
    public static Optional<String> found(Path tree, String... names) {
        for (String name : names) {
            if (has(tree, name)) {
                return Optional.of("found " + name);
            }
        }
        return Optional.empty();
    }
}
