package cloud.hop3.builder.java;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Jars made by tests, with the manifest attributes they need. */
final class Jars {

    private Jars() {
    }

    /** Writes a jar whose manifest has {@code attributes} (none: a jar without a manifest). */
    static Path write(Path file, Map<String, String> attributes) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            if (attributes.isEmpty()) {
                new JarOutputStream(out).close();
                return file;
            }
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            attributes.forEach((name, value) -> manifest.getMainAttributes().putValue(name, value));
            new JarOutputStream(out, manifest).close();
        }
        return file;
    }

    static Path runnable(Path file, String mainClass) throws IOException {
        return write(file, Map.of("Main-Class", mainClass));
    }
}
