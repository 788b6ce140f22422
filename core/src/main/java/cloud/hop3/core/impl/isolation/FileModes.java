package cloud.hop3.core.impl.isolation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Owners and permissions of the platform's files. Single entries are changed in Java, without
 * following a symbolic link; trees through coreutils {@code chown -R -h -P} and {@code chmod -R},
 * which never follow a link either (a slug may hold links to anywhere) and are fast on the tens of
 * thousands of files of a {@code node_modules}.
 */
final class FileModes {

    private static final long TREE_SECONDS = 600;

    private FileModes() {
    }

    /** Sets the permissions of one entry, e.g. {@code rwx--x---}; a symbolic link is left alone. */
    static void set(Path path, String permissions) throws IOException {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(path) && posix(path)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }

    /** Takes group and other permissions away from one entry (its subtree is then closed too, for a directory). */
    static void close(Path path) throws IOException {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(path) && posix(path)) {
            var permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            var owner = PosixFilePermissions.fromString("rwx------");
            permissions.retainAll(owner);
            Files.setPosixFilePermissions(path, permissions);
        }
    }

    /** Sets the owner and group of one entry (of a link itself, never of what it points to). */
    static void own(Path path, int uid, int gid) throws IOException {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** The owner's uid of one entry. */
    static int owner(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    /** The group's gid of one entry. */
    static int group(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS);
    }

    /** Sets the owner and group of a whole tree, links themselves included and never followed. */
    static void ownTree(Path root, int uid, int gid) throws IOException {
        if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            run(List.of("chown", "-R", "-h", "-P", uid + ":" + gid, "--", root.toString()));
        }
    }

    /** Changes the permissions of a whole tree with a symbolic mode, e.g. {@code g+rX,g-w,o-rwx}. */
    static void modeTree(Path root, String symbolic) throws IOException {
        if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            run(List.of("chmod", "-R", symbolic, "--", root.toString()));
        }
    }

    private static boolean posix(Path path) throws IOException {
        return Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class);
    }

    private static void run(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("PATH", "/usr/bin:/bin");
        Process process = builder.start();
        try {
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(TREE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + TREE_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + " was interrupted", e);
        }
    }
}
