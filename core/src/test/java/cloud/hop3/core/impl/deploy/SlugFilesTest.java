package cloud.hop3.core.impl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlugFilesTest {

    @TempDir
    Path root;

    private Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** Each entry of a tree: "dir", "link -> target", or the file's permissions and content. */
    static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(p -> !p.equals(dir)).toList()) {
                String name = dir.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    entries.put(name, "link -> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    entries.put(name, "dir");
                } else {
                    entries.put(name, PosixFilePermissions.toString(Files.getPosixFilePermissions(p)).substring(0, 3)
                            + " " + Files.readString(p));
                }
            }
        }
        return entries;
    }

    @Test
    void copiesTheTreeWithoutGitKeepingExecutableBitsAndLinks() throws IOException {
        Path source = root.resolve("checkout");
        write(source.resolve("app.py"), "print('hi')");
        Path start = write(source.resolve("bin/start"), "#!/bin/sh\nexec python app.py\n");
        Files.setPosixFilePermissions(start, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(write(source.resolve("bin/readonly.txt"), "r"), PosixFilePermissions.fromString("r--r--r--"));
        write(source.resolve("static/css/site.css"), "body{}");
        Files.createDirectories(source.resolve("tmp/uploads"));
        write(source.resolve(".gitignore"), "*.pyc");
        write(source.resolve(".github/workflows/ci.yml"), "on: push");
        write(source.resolve(".git/config"), "[core]");
        write(source.resolve(".git/objects/ab/cdef"), "object");
        write(source.resolve("vendor/lib/.git/HEAD"), "ref: refs/heads/main");
        write(source.resolve("vendor/lib/lib.py"), "x = 1");
        Files.createSymbolicLink(source.resolve("bin/run"), Path.of("start"));
        Files.createSymbolicLink(source.resolve("public"), Path.of("static"));
        Files.createSymbolicLink(source.resolve("static/app.py"), Path.of("../app.py"));
        Path slug = root.resolve("releases/1/slug");

        SlugFiles.copy(source, slug);

        Map<String, String> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("app.py", "rw- print('hi')"),
                Map.entry("bin", "dir"),
                Map.entry("bin/start", "rwx #!/bin/sh\nexec python app.py\n"),
                Map.entry("bin/readonly.txt", "r-- r"),
                Map.entry("bin/run", "link -> start"),
                Map.entry("static", "dir"),
                Map.entry("static/css", "dir"),
                Map.entry("static/css/site.css", "rw- body{}"),
                Map.entry("static/app.py", "link -> ../app.py"),
                Map.entry("public", "link -> static"),
                Map.entry("tmp", "dir"),
                Map.entry("tmp/uploads", "dir"),
                Map.entry(".gitignore", "rw- *.pyc"),
                Map.entry(".github", "dir"),
                Map.entry(".github/workflows", "dir"),
                Map.entry(".github/workflows/ci.yml", "rw- on: push"),
                Map.entry("vendor", "dir"),
                Map.entry("vendor/lib", "dir"),
                Map.entry("vendor/lib/lib.py", "rw- x = 1")));
        assertEquals(expected, tree(slug));
    }

    @Test
    void linksInTheSlugLeadToTheSlugNotBackToTheSource() throws IOException {
        Path source = root.resolve("checkout");
        write(source.resolve("static/index.html"), "<h1>source</h1>");
        Files.createSymbolicLink(source.resolve("public"), Path.of("static"));
        Path slug = root.resolve("slug");

        SlugFiles.copy(source, slug);
        Files.writeString(slug.resolve("static/index.html"), "<h1>slug</h1>");

        assertEquals("<h1>slug</h1>", Files.readString(slug.resolve("public/index.html")));
        assertTrue(slug.resolve("public/index.html").toRealPath().startsWith(slug.toRealPath()));
    }

    @Test
    void copiesIntoAnExistingSlugDirectory() throws IOException {
        Path source = root.resolve("checkout");
        write(source.resolve("Procfile"), "web: ./run");
        Path slug = Files.createDirectories(root.resolve("slug"));

        SlugFiles.copy(source, slug);

        assertEquals(Map.of("Procfile", "rw- web: ./run"), tree(slug));
    }
}
