package cloud.hop3.plugin.support.files;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Removing a directory tree, the one way plugins do it: symbolic links are removed, never
 * followed (a link in an app's or a server's files must not make the platform delete what it
 * points at), and a tree already gone is not an error.
 */
public final class Trees {

    private Trees() {
    }

    /**
     * Removes {@code root} and everything under it: a directory tree, a file, or a link (not what
     * it points at). Nothing when it is absent.
     *
     * @throws IOException for the first entry that cannot be removed; what was removed before stays removed
     */
    public static void delete(Path root) throws IOException {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.deleteIfExists(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // gone already, or removed by someone else meanwhile
        }
    }
}
