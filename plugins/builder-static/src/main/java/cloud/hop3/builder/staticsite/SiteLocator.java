package cloud.hop3.builder.staticsite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.build.Detection;
import cloud.hop3.plugin.support.build.Procfile;

/**
 * Finds the directory of a static site in a source tree, by these rules, first match wins:
 * <ol>
 * <li>a {@code static: <dir>} line in the Procfile (priority {@value #PROCFILE_PRIORITY});</li>
 * <li>{@code public/index.html} (configurable priority), serving {@code public/};</li>
 * <li>{@code index.html} at the top (configurable priority), serving the whole tree.</li>
 * </ol>
 * An app whose Procfile declares a {@code web} process is not a static site, whatever else it
 * holds. {@link #detect(Path)} only reads files; {@link #locate(Path, BuildLog)} also checks that
 * the directory exists and stays inside the tree.
 */
final class SiteLocator {

    static final int PROCFILE_PRIORITY = 150;
    static final String STATIC_PROCESS = "static";
    static final String WEB_PROCESS = "web";
    static final String PUBLIC_DIRECTORY = "public";
    static final String INDEX_FILE = "index.html";

    private final int publicIndexPriority;
    private final int rootIndexPriority;

    SiteLocator(int publicIndexPriority, int rootIndexPriority) {
        this.publicIndexPriority = publicIndexPriority;
        this.rootIndexPriority = rootIndexPriority;
    }

    /** What a rule found: the directory to serve, relative to the tree, and from where. */
    private record Claim(int priority, String reason, String directory, Optional<Procfile.Entry> line) {
    }

    /** Says whether the tree is a static site; empty when it is not or cannot be read. */
    Optional<Detection> detect(Path source) {
        try {
            Procfile procfile = Procfile.read(source).orElse(Procfile.EMPTY);
            if (procfile.first(WEB_PROCESS).isPresent()) {
                return Optional.empty();
            }
            return claim(source, procfile).map(c -> new Detection(c.priority(), c.reason()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Finds and validates the site directory, warning about Procfile lines that a static site
     * ignores.
     *
     * @throws BuildException when the tree is not a static site or its directory is unusable
     */
    Site locate(Path source, BuildLog log) throws BuildException {
        Path root = realPath(source);
        Procfile procfile;
        try {
            procfile = Procfile.read(root).orElse(Procfile.EMPTY);
        } catch (IOException e) {
            throw new BuildException("Could not read the Procfile: " + e.getMessage(), e);
        }
        Optional<Procfile.Entry> web = procfile.first(WEB_PROCESS);
        if (web.isPresent()) {
            throw new BuildException("Procfile line " + web.get().lineNumber() + " declares a web process,"
                    + " so the app is not a static site; remove the web: line to serve files only,"
                    + " or build it with another builder.");
        }
        for (Procfile.Entry entry : procfile.entries()) {
            if (!entry.name().equals(STATIC_PROCESS)) {
                log.warn("Procfile line " + entry.lineNumber() + " (" + entry.shown()
                        + ") is ignored: a static site runs no processes.");
            }
        }
        Claim claim = claim(root, procfile).orElseThrow(() -> new BuildException("Found no static site:"
                + " add public/index.html, an index.html at the top of the repository,"
                + " or a static: <directory> line to the Procfile."));
        return resolve(root, claim);
    }

    private Optional<Claim> claim(Path source, Procfile procfile) {
        Optional<Procfile.Entry> line = procfile.first(STATIC_PROCESS);
        if (line.isPresent()) {
            String dir = line.get().command();
            return Optional.of(new Claim(PROCFILE_PRIORITY, "found " + line.get().shown() + " in Procfile", dir, line));
        }
        if (Files.isRegularFile(source.resolve(PUBLIC_DIRECTORY).resolve(INDEX_FILE))) {
            return Optional.of(new Claim(publicIndexPriority, "found " + PUBLIC_DIRECTORY + "/" + INDEX_FILE,
                    PUBLIC_DIRECTORY, Optional.empty()));
        }
        if (Files.isRegularFile(source.resolve(INDEX_FILE))) {
            return Optional.of(new Claim(rootIndexPriority, "found " + INDEX_FILE, "", Optional.empty()));
        }
        return Optional.empty();
    }

    private static Site resolve(Path root, Claim claim) throws BuildException {
        String says = claim.line().map(l -> "Procfile line " + l.lineNumber() + " says " + l.shown())
                .orElse("The site directory " + claim.directory() + "/");
        if (claim.line().isPresent() && claim.directory().isEmpty()) {
            throw new BuildException(says + " with no directory; name the directory to serve,"
                    + " for example static: public");
        }
        Path dir;
        try {
            dir = root.resolve(claim.directory()).normalize();
        } catch (InvalidPathException e) {
            throw new BuildException(says + ", which is not a valid directory name.", e);
        }
        if (!dir.startsWith(root)) {
            throw new BuildException(says + ", which points outside the app; name a directory inside"
                    + " the repository, for example static: public");
        }
        String shown = dir.equals(root) ? Site.ROOT_NAME : root.relativize(dir) + "/";
        String but = claim.line().map(l -> "Procfile says " + l.shown() + ", but ").orElse("");
        if (!Files.exists(dir)) {
            throw new BuildException(but.isEmpty() ? "There is no directory " + shown
                    : but + "there is no directory " + shown);
        }
        if (!Files.isDirectory(dir)) {
            throw new BuildException(but + shown.substring(0, shown.length() - 1) + " is a file, not a directory.");
        }
        Path real = realPath(dir);
        if (!real.startsWith(root)) {
            throw new BuildException(but + shown + " is a symbolic link that leads outside the app;"
                    + " make it a real directory in the repository.");
        }
        return new Site(root, real, shown);
    }

    private static Path realPath(Path path) throws BuildException {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new BuildException("Could not read " + path + ": " + e.getMessage(), e);
        }
    }
}
