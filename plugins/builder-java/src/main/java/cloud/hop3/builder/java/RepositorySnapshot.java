package cloud.hop3.builder.java;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The artifacts ({@code .jar} and {@code .pom} files) of a dependency cache at one moment, so
 * that the build can tell the user what it downloaded: comparing the cache before and after the
 * build tool ran shows every artifact it fetched, as a build tool only adds artifacts by
 * downloading them. A quiet build tool prints no transfer lines; this is how the user still
 * learns whether a build used the network.
 *
 * @param artifacts path relative to the cache -> size in bytes
 */
record RepositorySnapshot(Map<String, Long> artifacts) {

    /**
     * What a build added to the cache.
     *
     * @param files the artifacts added or changed
     * @param bytes their size
     */
    record Downloads(int files, long bytes) {

        /** "12 files (3.4 MB)". */
        String describe() {
            return files + (files == 1 ? " file" : " files") + " (" + String.format(java.util.Locale.ROOT, "%.1f MB",
                    bytes / 1_000_000.0) + ")";
        }
    }

    RepositorySnapshot {
        artifacts = Map.copyOf(artifacts);
    }

    /** The artifacts under {@code root}; none when it does not exist yet. */
    static RepositorySnapshot of(Path root) throws IOException {
        Map<String, Long> artifacts = new HashMap<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.find(root, Integer.MAX_VALUE, (path, attributes) -> artifact(path, attributes))) {
                files.forEach(path -> {
                    try {
                        artifacts.put(root.relativize(path).toString(), Files.size(path));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return new RepositorySnapshot(artifacts);
    }

    private static boolean artifact(Path path, BasicFileAttributes attributes) {
        String name = path.getFileName().toString();
        return attributes.isRegularFile() && (name.endsWith(".jar") || name.endsWith(".pom"));
    }

    /** What is in this snapshot and was not, or not with the same size, in {@code before}. */
    Downloads since(RepositorySnapshot before) {
        int files = 0;
        long bytes = 0;
        for (Map.Entry<String, Long> artifact : artifacts.entrySet()) {
            if (!artifact.getValue().equals(before.artifacts.get(artifact.getKey()))) {
                files++;
                bytes += artifact.getValue();
            }
        }
        return new Downloads(files, bytes);
    }

    /** How many artifacts the cache holds. */
    int size() {
        return artifacts.size();
    }
}
