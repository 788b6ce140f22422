package cloud.hop3.plugin.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The files a test lays out: one file with the directories above it, or a tree of them from a map. */
public final class TestFiles {

    private TestFiles() {
    }

    /** Writes {@code content} into {@code file}, making the directories above it first; returns the file. */
    public static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** Writes {@code files} (a path relative to {@code root}, to its content) under {@code root}; returns root. */
    public static Path write(Path root, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> file : files.entrySet()) {
            write(root.resolve(file.getKey()), file.getValue());
        }
        return root;
    }
}
