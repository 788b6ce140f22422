package cloud.hop3.builder.python;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import cloud.hop3.plugin.support.files.Trees;

/**
 * The virtualenvs of one app, kept between its builds in {@code <cache>/venvs}, one per key (a
 * SHA-256 prefix of what decides the installed packages), so that a build whose requirements did
 * not change reuses one instead of running pip.
 * <p>
 * <b>Layout.</b> {@code venvs/<key>} is a symbolic link to the virtualenv's real directory,
 * {@code venvs/<key>-<id>}. A virtualenv is not relocatable (its scripts and activate files hold
 * its absolute path), so it is built where it stays: in a new directory that no link points at,
 * published by renaming a new link over {@code <key>} (atomic) only after pip succeeded. A build
 * that fails or is killed half way leaves a directory that nothing links to; it is deleted and
 * never reused. Slugs link their {@code .venv} to the real directory.
 * <p>
 * <b>Eviction.</b> At most {@value #KEPT} virtualenvs are kept, as the deploy pipeline keeps 5
 * builds: after each use the least recently used beyond that go, except the one just used and
 * any that an existing slug still links to (the running release, the builds kept for rollback),
 * so a kept build never loses its virtualenv. A virtualenv that did go is built again by the next
 * build that needs it; a rollback does not build, so a release whose build is gone cannot come
 * back without a push anyway. The use of each virtualenv is recorded in its {@value #USERS} file:
 * the slugs that link to it, and, as the file's time, when it was last used.
 * <p>
 * Builds of one app do not run concurrently (the deploy pipeline queues them), and each app has
 * its own cache directory, so this class takes no locks.
 */
final class VirtualenvCache {

    /** How many virtualenvs an app keeps, besides those that its kept builds link to. */
    static final int KEPT = 5;
    static final String USERS = ".hop3-slugs";

    private static final int KEY_LENGTH = 16;
    private static final String KEY = "[0-9a-f]{" + KEY_LENGTH + "}";

    private final Path directory;

    private VirtualenvCache(Path directory) {
        this.directory = directory;
    }

    /**
     * The cache in {@code directory} (created when missing), by its real path. It belongs to the
     * owner of the directory above it, the builder's cache: where apps have users of their own, the
     * build's tools run as the app's user, who makes the virtualenvs in it.
     */
    static VirtualenvCache open(Path directory) throws IOException {
        Path created = Files.createDirectories(directory);
        ownedLikeParent(created);
        return new VirtualenvCache(created.toRealPath());
    }

    private static void ownedLikeParent(Path dir) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        Path parent = dir.toAbsolutePath().getParent();
        if (view == null || parent == null) {
            return; // no owners to follow on this file system
        }
        PosixFileAttributes own = view.readAttributes();
        PosixFileAttributes above = Files.readAttributes(parent, PosixFileAttributes.class);
        if (!own.owner().equals(above.owner())) {
            view.setOwner(above.owner());
        }
        if (!own.group().equals(above.group())) {
            view.setGroup(above.group());
        }
    }

    Path directory() {
        return directory;
    }

    /** The key of a virtualenv: a SHA-256 prefix of the parts, which say what decides its packages. */
    static String key(List<String> parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, KEY_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** The real directory of the virtualenv published under {@code key}, if there is one. */
    Optional<Path> published(String key) throws IOException {
        Path link = directory.resolve(key);
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        Path target = directory.resolve(Files.readSymbolicLink(link));
        return Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) ? Optional.of(target) : Optional.empty();
    }

    /** Whether a virtualenv has what running the app needs: its configuration and a python that can start. */
    static boolean whole(Path venv) {
        return Files.isRegularFile(venv.resolve("pyvenv.cfg")) && Files.isExecutable(venv.resolve("bin/python"));
    }

    /**
     * A new directory name for {@code key}'s virtualenv, not created yet. What earlier builds left
     * unpublished goes first.
     */
    Path prepare(String key) throws IOException {
        removeUnpublished();
        return directory.resolve(key + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** Makes {@code venv} the virtualenv of {@code key} in one step; the one it replaces is deleted. */
    void publish(String key, Path venv) throws IOException {
        Optional<Path> previous = published(key);
        Path link = directory.resolve(key);
        Path next = directory.resolve(".link-" + key + "-" + UUID.randomUUID());
        Files.createSymbolicLink(next, venv.getFileName());
        Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (previous.isPresent() && !previous.get().equals(venv)) {
            Trees.delete(previous.get());
        }
    }

    /** Removes {@code key}'s virtualenv, link first, so that no build finds it half deleted. */
    void discard(String key) throws IOException {
        Optional<Path> venv = published(key);
        Files.deleteIfExists(directory.resolve(key));
        if (venv.isPresent()) {
            Trees.delete(venv.get());
        }
    }

    /** Records that {@code slug} links to {@code venv}, now. */
    void use(Path venv, Path slug) throws IOException {
        Set<String> users = new LinkedHashSet<>();
        for (String user : users(venv)) {
            if (linksTo(Path.of(user), venv)) {
                users.add(user);
            }
        }
        users.add(slug.toString());
        Path file = venv.resolve(USERS);
        Path temporary = venv.resolve(USERS + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(StandardCharsets.UTF_8.encode(String.join("\n", users) + "\n"));
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    }

    /**
     * Removes the least recently used virtualenvs beyond {@value #KEPT}, never {@code current}
     * nor one that an existing slug links to.
     *
     * @return the real directories removed
     */
    List<Path> evict(Path current) throws IOException {
        Map<String, Path> all = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.matches(KEY)) {
                    published(name).ifPresent(venv -> all.put(name, venv));
                }
            }
        }
        List<Map.Entry<String, Path>> candidates = new ArrayList<>();
        for (Map.Entry<String, Path> entry : all.entrySet()) {
            if (!entry.getValue().equals(current) && !linked(entry.getValue())) {
                candidates.add(entry);
            }
        }
        candidates.sort(Comparator.comparing(entry -> lastUse(entry.getValue())));
        List<Path> evicted = new ArrayList<>();
        for (int i = 0; i < candidates.size() && all.size() - evicted.size() > KEPT; i++) {
            discard(candidates.get(i).getKey());
            evicted.add(candidates.get(i).getValue());
        }
        return evicted;
    }

    /** When the virtualenv was last used; the epoch when it never was. */
    static FileTime lastUse(Path venv) {
        try {
            return Files.getLastModifiedTime(venv.resolve(USERS));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private boolean linked(Path venv) throws IOException {
        for (String user : users(venv)) {
            if (linksTo(Path.of(user), venv)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> users(Path venv) throws IOException {
        Path file = venv.resolve(USERS);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(line -> line.startsWith("/")).toList();
    }

    private static boolean linksTo(Path slug, Path venv) {
        try {
            Path link = slug.resolve(PythonBuilder.VENV);
            return Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(venv);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Deletes directories of virtualenvs that no link publishes, and links that builds left half made. */
    private void removeUnpublished() throws IOException {
        Set<Path> published = new LinkedHashSet<>();
        List<Path> others = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.matches(KEY)) {
                    published(name).ifPresent(published::add);
                } else if (name.matches(KEY + "-[0-9a-f]+") || name.startsWith(".link-")) {
                    others.add(entry);
                }
            }
        }
        for (Path entry : others) {
            if (!published.contains(entry)) {
                Trees.delete(entry);
            }
        }
    }

}
