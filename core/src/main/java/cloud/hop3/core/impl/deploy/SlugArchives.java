package cloud.hop3.core.impl.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import cloud.hop3.api.app.AppName;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.app.ReleaseDocument;

/**
 * The slugs of releases handed to a {@link cloud.hop3.api.process.ReleaseDriver}: one gzip
 * tar of each build ({@code releases/<artifact>/slug.tar.gz}, made once), and one random token
 * per release that fetches it. A token is kept only as its SHA-256 hash, with the build it opens,
 * in {@code slug-tokens/<release>} of the app's directory; it opens nothing once that build is
 * no longer kept.
 */
public final class SlugArchives {

    static final String ARCHIVE = "slug.tar.gz";
    private static final String TOKENS = "slug-tokens";
    private static final long TAR_MINUTES = 30;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AppCatalog apps;

    public SlugArchives(AppCatalog apps) {
        this.apps = apps;
    }

    /** Where the archive of the build that {@code release} runs is. */
    public Path archive(AppName app, int artifact) {
        return apps.directory(app).resolve("releases").resolve(String.valueOf(artifact)).resolve(ARCHIVE);
    }

    /**
     * Makes the archive of the build that {@code release} runs, unless it exists: written aside,
     * then moved into place, so that a reader never sees half of it.
     *
     * @return whether it was made now (the caller then gives it the owner of the release's files)
     */
    boolean make(AppName app, ReleaseDocument release, Path slug) throws IOException, InterruptedException {
        Path archive = archive(app, release.artifact());
        if (Files.isRegularFile(archive)) {
            return false;
        }
        if (!Files.isDirectory(slug)) {
            throw new NoSuchFileException(slug.toString(), null, "the build of v" + release.artifact() + " is no longer kept");
        }
        Path partial = archive.resolveSibling(ARCHIVE + ".partial");
        Files.deleteIfExists(partial);
        Process tar = new ProcessBuilder(List.of("tar", "--numeric-owner", "-czf", partial.toString(), "-C",
                slug.toString(), ".")).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            if (!tar.waitFor(TAR_MINUTES, TimeUnit.MINUTES)) {
                tar.destroyForcibly();
                throw new IOException("tar did not finish the slug archive within " + TAR_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            tar.destroyForcibly();
            Files.deleteIfExists(partial);
            throw e;
        }
        if (tar.exitValue() != 0) {
            Files.deleteIfExists(partial);
            throw new IOException("tar could not archive the slug (exit status " + tar.exitValue() + ")");
        }
        try {
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
        }
        return true;
    }

    /**
     * A new token for {@code release}, replacing the one it had, which fetches the archive of
     * build {@code artifact}. Tokens of builds no longer kept are removed meanwhile.
     */
    String issue(AppName app, int release, int artifact) throws IOException {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Path dir = apps.directory(app).resolve(TOKENS);
        Files.createDirectories(dir);
        prune(app, dir);
        Path file = dir.resolve(String.valueOf(release));
        Path partial = dir.resolve(release + ".partial");
        Files.writeString(partial, artifact + " " + HexFormat.of().formatHex(sha256(token)) + "\n", StandardCharsets.US_ASCII);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return token;
    }

    /** Removes the token of {@code release}: a release that was never put into service. */
    void forget(AppName app, int release) {
        try {
            Files.deleteIfExists(apps.directory(app).resolve(TOKENS).resolve(String.valueOf(release)));
        } catch (IOException e) {
            // the token opens a build that is there anyway, until it is no longer kept
        }
    }

    /**
     * The archive of {@code release}, when {@code token} is its token and the archive is kept;
     * the hashes are compared in constant time.
     */
    public Optional<Path> open(AppName app, int release, String token) {
        byte[] given = sha256(token == null ? "" : token);
        Path file = apps.directory(app).resolve(TOKENS).resolve(String.valueOf(release));
        String[] stored;
        try {
            stored = Files.readString(file, StandardCharsets.US_ASCII).strip().split(" ");
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (stored.length != 2 || !stored[0].matches("[0-9]{1,9}")) {
            return Optional.empty();
        }
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(stored[1]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(given, expected)) {
            return Optional.empty();
        }
        Path archive = archive(app, Integer.parseInt(stored[0]));
        return Files.isRegularFile(archive) ? Optional.of(archive) : Optional.empty();
    }

    private void prune(AppName app, Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                try {
                    String artifact = Files.readString(f, StandardCharsets.US_ASCII).strip().split(" ")[0];
                    if (!artifact.matches("[0-9]{1,9}") || !Files.isRegularFile(archive(app, Integer.parseInt(artifact)))) {
                        Files.deleteIfExists(f);
                    }
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Java without SHA-256", e);
        }
    }
}
