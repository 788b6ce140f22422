package cloud.hop3.core.impl.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import cloud.hop3.api.backup.BackupException;
import cloud.hop3.plugin.support.files.Trees;
import cloud.hop3.core.impl.isolation.AppUser;

/**
 * An app's {@code DATA_DIR} as a tar file, made with the system's {@code tar} so that a user can
 * open it without the platform. It is written by the platform (which reads every file of the
 * app, with owners and modes) and extracted as the app's own user, so that what comes back
 * belongs to the app and a crafted archive can write nowhere the app could not.
 */
final class DataArchive {

    private static final long TIMEOUT_MINUTES = 60;

    private DataArchive() {
    }

    /**
     * Writes the contents of {@code data} into {@code archive}.
     *
     * @return what tar said about files that changed while it read them (the app writes while
     *         its backup runs; the archive is complete, each such file as tar read it), or empty
     */
    static Optional<String> write(Path data, Path archive) throws BackupException, InterruptedException {
        return run(List.of("tar", "--numeric-owner", "-cpf", archive.toString(), "-C", data.toString(), "."), null,
                "archiving the data directory", true);
    }

    /** Replaces the contents of {@code data} with those of {@code archive}, extracted as {@code user}. */
    static void restore(Path archive, Path data, AppUser user) throws BackupException, InterruptedException {
        try {
            Files.createDirectories(data);
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(data)) {
                for (Path entry : entries) {
                    if (Files.isDirectory(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Trees.delete(entry);
                    } else {
                        Files.delete(entry);
                    }
                }
            }
        } catch (IOException e) {
            throw new BackupException("The data directory could not be emptied before the restore: " + e.getMessage(), e);
        }
        // read by the platform and given on standard input: the scratch directory is the platform's alone
        List<String> argv = new ArrayList<>(List.of("tar", "-xpf", "-", "-C", data.toString()));
        if (!user.isolated()) {
            argv.add(1, "--numeric-owner");
        }
        run(user.wrap(argv), archive, "extracting the data directory", false);
    }

    /**
     * Extracts {@code archive} into {@code target}, an empty directory of the platform's own, for
     * a restore check: files are the platform's (no owners set), nothing is written outside it.
     */
    static void extractForCheck(Path archive, Path target) throws BackupException, InterruptedException {
        run(List.of("tar", "--no-same-owner", "--no-overwrite-dir", "-xf", "-", "-C", target.toString()), archive,
                "extracting the data directory into a scratch folder", false);
    }

    /**
     * Runs tar; with {@code changedIsFine}, its exit status 1 (GNU tar: some files changed while
     * being read) is not a failure, and what it said is returned.
     */
    static Optional<String> run(List<String> argv, Path input, String what, boolean changedIsFine)
            throws BackupException, InterruptedException {
        Process p;
        Path output;
        try {
            output = Files.createTempFile("hop3-tar", ".out");
        } catch (IOException e) {
            throw new BackupException("tar could not be started for " + what + ": " + e.getMessage(), e);
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile());
            if (input != null) {
                builder.redirectInput(input.toFile());
            }
            p = builder.start();
            boolean ended;
            try {
                ended = p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                throw e;
            }
            if (!ended) {
                p.destroyForcibly();
                throw new BackupException("tar took more than " + TIMEOUT_MINUTES + " minutes " + what + ".");
            }
            String said = Files.readString(output, StandardCharsets.UTF_8).strip();
            if (p.exitValue() == 1 && changedIsFine) {
                return Optional.of(said.length() > 500 ? said.substring(0, 500) + "..." : said);
            }
            if (p.exitValue() != 0) {
                throw new BackupException("tar failed " + what + " (exit " + p.exitValue() + "): "
                        + (said.length() > 500 ? said.substring(0, 500) + "..." : said));
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new BackupException("tar could not be run for " + what + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // a temporary file of a few bytes
            }
        }
    }
}
