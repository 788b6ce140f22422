package cloud.hop3.plugin.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The files a test lays out: one file with the directories above it, a tree of them from a map,
 * or a program (a shell script that stands for a tool).
 */
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

    /**
     * Writes {@code content} (a script, {@code #!/bin/sh} and its lines) into {@code file}, making the
     * directories above it first, and makes it executable by everyone; returns the file.
     */
    public static Path executable(Path file, String content) throws IOException {
        write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
