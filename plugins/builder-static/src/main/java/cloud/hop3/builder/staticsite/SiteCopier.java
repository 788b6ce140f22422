package cloud.hop3.builder.staticsite;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;

/**
 * Copies a {@link Site} into a slug, within a size limit.
 * <p>
 * {@code .git} entries and other hidden files (a name starting with a dot, except
 * {@code .well-known}) are skipped, so that a repository's {@code .env} is never published. Symbolic links are never followed out of the source tree: a
 * link to a file inside the tree is copied as a file, any other link is skipped with a warning,
 * as are special files (pipes, devices). The calling thread's interrupt is checked between
 * files and between chunks of a file. Keeps no per-copy state in fields, so one instance serves
 * concurrent builds.
 */
final class SiteCopier {

    static final String SKIPPED_NAME = ".git";
    static final String WELL_KNOWN = ".well-known";
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final long MEGABYTE = 1024L * 1024L;

    private final int maxMegabytes;

    SiteCopier(int maxMegabytes) {
        this.maxMegabytes = maxMegabytes;
    }

    /**
     * What was copied.
     *
     * @param files regular files written
     * @param bytes their total size
     */
    record Copied(long files, long bytes) {

        /** {@code 12 files, 48 KB}. */
        String summary() {
            return files + (files == 1 ? " file, " : " files, ") + formatSize(bytes);
        }
    }

    /**
     * Copies the site's files under {@code target}, which is created.
     *
     * @throws BuildException       when the site is larger than the limit, has no files, or cannot be read
     * @throws InterruptedException when the calling thread is interrupted
     */
    Copied copy(Site site, Path target, BuildLog log) throws BuildException, InterruptedException {
        return new Run(site, log).copyTo(target);
    }

    static String formatSize(long bytes) {
        if (bytes < 1024) {
            return bytes + (bytes == 1 ? " byte" : " bytes");
        }
        if (bytes < MEGABYTE) {
            return Math.round(bytes / 1024.0) + " KB";
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (double) MEGABYTE);
    }

    /** One copy, with its counters. */
    private final class Run {

        private final Site site;
        private final BuildLog log;
        private final byte[] buffer = new byte[CHUNK_BYTES];
        private long files;
        private long bytes;

        Run(Site site, BuildLog log) {
            this.site = site;
            this.log = log;
        }

        Copied copyTo(Path target) throws BuildException, InterruptedException {
            Deque<Path> pending = new ArrayDeque<>();
            pending.push(site.directory());
            while (!pending.isEmpty()) {
                checkInterrupted();
                Path dir = pending.pop();
                Path targetDir = target.resolve(site.directory().relativize(dir).toString());
                try {
                    Files.createDirectories(targetDir);
                } catch (IOException e) {
                    throw new BuildException("Could not create " + targetDir + ": " + e.getMessage(), e);
                }
                for (Path entry : entries(dir)) {
                    checkInterrupted();
                    copyEntry(entry, targetDir.resolve(entry.getFileName().toString()), pending);
                }
            }
            if (files == 0) {
                throw new BuildException(site.shownName() + " has no files to serve (" + SKIPPED_NAME
                        + " is not copied); add the site's files to it.");
            }
            return new Copied(files, bytes);
        }

        private List<Path> entries(Path dir) throws BuildException {
            List<Path> entries = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                stream.forEach(entries::add);
            } catch (IOException e) {
                throw new BuildException("Could not read " + site.show(dir) + ": " + e.getMessage(), e);
            }
            entries.sort(null);
            return entries;
        }

        private void copyEntry(Path entry, Path to, Deque<Path> pending) throws BuildException, InterruptedException {
            String name = entry.getFileName().toString();
            if (name.equals(SKIPPED_NAME)) {
                return;
            }
            if (name.startsWith(".") && !name.equals(WELL_KNOWN)) {
                // hidden files (.env, .htpasswd, ...) are never published
                log.info("Skipped hidden " + site.show(entry));
                return;
            }
            BasicFileAttributes attrs = attributes(entry);
            if (attrs.isDirectory()) {
                pending.push(entry);
            } else if (attrs.isRegularFile()) {
                copyFile(entry, attrs.size(), to, entry);
            } else if (attrs.isSymbolicLink()) {
                copyLink(entry, to);
            } else {
                log.warn("Skipped " + site.show(entry) + ": it is not a regular file.");
            }
        }

        private void copyLink(Path link, Path to) throws BuildException, InterruptedException {
            Path real;
            try {
                real = link.toRealPath();
            } catch (IOException e) {
                real = null;
            }
            if (real == null || !real.startsWith(site.sourceRoot())) {
                log.warn("Skipped " + site.show(link) + ": it is a symbolic link that does not lead to a file"
                        + " inside the app.");
                return;
            }
            BasicFileAttributes attrs = attributes(real);
            if (attrs.isRegularFile()) {
                copyFile(real, attrs.size(), to, link);
            } else {
                log.warn("Skipped " + site.show(link) + ": it is a symbolic link to a directory or special file;"
                        + " only links to files are copied.");
            }
        }

        private void copyFile(Path from, long size, Path to, Path shownAs) throws BuildException, InterruptedException {
            if (bytes + size > maxBytes()) {
                throw tooLarge();
            }
            try (InputStream in = Files.newInputStream(from, LinkOption.NOFOLLOW_LINKS);
                 OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE,
                         StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    checkInterrupted();
                    bytes += n;
                    if (bytes > maxBytes()) {
                        throw tooLarge();
                    }
                    out.write(buffer, 0, n);
                }
                Files.setLastModifiedTime(to, Files.getLastModifiedTime(from));
            } catch (IOException e) {
                throw new BuildException("Could not copy " + site.show(shownAs) + ": " + e.getMessage(), e);
            }
            files++;
        }

        private BasicFileAttributes attributes(Path path) throws BuildException {
            try {
                return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw new BuildException("Could not read " + site.show(path) + ": " + e.getMessage(), e);
            }
        }

        private long maxBytes() {
            return maxMegabytes * MEGABYTE;
        }

        private BuildException tooLarge() {
            return new BuildException("The site in " + site.shownName() + " is larger than " + maxMegabytes
                    + " MB, the limit set by maxSiteSizeMegabytes in " + StaticSiteBuilder.PID
                    + "; remove files from it or raise the limit.");
        }
    }

    private static void checkInterrupted() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("Static site copy interrupted");
        }
    }
}
