package cloud.hop3.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** New releases of our bundles, made for the live-upgrade tests. */
final class BundleJars {

    private BundleJars() {
    }

    /** A copy of a bundle jar with another Bundle-Version, as a new release of it would have. */
    static Path withVersion(Path jar, String version) throws IOException {
        Path target = Files.createTempFile(jar.getFileName().toString().replace(".jar", "") + "-" + version, ".jar");
        try (InputStream in = Files.newInputStream(jar); JarInputStream jin = new JarInputStream(in)) {
            Manifest manifest = new Manifest(jin.getManifest());
            manifest.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
            try (OutputStream out = Files.newOutputStream(target); JarOutputStream jout = new JarOutputStream(out, manifest)) {
                for (JarEntry entry = jin.getNextJarEntry(); entry != null; entry = jin.getNextJarEntry()) {
                    jout.putNextEntry(new JarEntry(entry.getName()));
                    jin.transferTo(jout);
                    jout.closeEntry();
                }
            }
        }
        return target;
    }

    /** The jar of one of our plugins as this checkout built it. */
    static Path installed(String artifactId) {
        Path root = Path.of(System.getProperty("hop3.source.root"));
        String version = System.getProperty("hop3.version");
        Path jar = root.resolve("plugins").resolve(artifactId).resolve("target").resolve(artifactId + "-" + version + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No " + jar + ": build the plugins before the end-to-end tests");
        }
        return jar;
    }
}
