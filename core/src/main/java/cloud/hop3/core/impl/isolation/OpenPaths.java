package cloud.hop3.core.impl.isolation;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an app's user can reach of the platform's files: a path is reachable when every directory
 * above it lets others pass and the file itself lets others run it. The platform's own search path
 * often starts with directories of the operator's home ({@code /root/.pyenv/shims}), closed to
 * everyone else; a build run as the app's user must not pick a tool there.
 */
public final class OpenPaths {

    private OpenPaths() {
    }

    /** Whether others may run {@code program}: every directory above it, and the file itself, has o+x. */
    public static boolean runnable(Path program) {
        Path absolute = program.toAbsolutePath().normalize();
        try {
            if (!Files.isRegularFile(absolute) || !othersMay(absolute, PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
            return passable(absolute.getParent());
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** {@code searchPath} without the directories others cannot pass through, in order. */
    public static String searchPath(String searchPath) {
        List<String> kept = new ArrayList<>();
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Path.of(dir).isAbsolute() && passable(Path.of(dir))) {
                kept.add(dir);
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    /** The first program named {@code name} on {@code searchPath} that others may run. */
    public static Optional<Path> locate(String name, String searchPath) {
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Path.of(dir).isAbsolute()) {
                Path candidate = Path.of(dir, name);
                if (runnable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean passable(Path dir) {
        try {
            for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
                if (!Files.isDirectory(d) || !othersMay(d, PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean othersMay(Path path, PosixFilePermission permission) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
        return perms.contains(permission);
    }
}
