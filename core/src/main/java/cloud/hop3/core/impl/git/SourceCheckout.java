package cloud.hop3.core.impl.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

import cloud.hop3.api.deploy.DeployException;

/**
 * Writes the tree of a commit into a new directory, as {@code git archive | tar x} would:
 * regular and executable files, and symbolic links. Submodules are left out, and counted.
 *
 * <p>A pushed tree is the pusher's input, crafted or not, and this runs with the platform's
 * rights, so nothing here trusts it. The whole tree is read and checked before anything is
 * written: a name git never writes ({@code ..}, {@code .git}, a slash), a name used twice (a
 * link and a folder {@code esc}, so that {@code esc/x} would be written through the link), or a
 * link that leads out of the tree, followed link by link as the kernel will follow it, refuses
 * the whole tree with a message for the pusher. Writing then never follows a link: every folder
 * on the way is created, or found as a real folder, and every file is created new, without
 * following a link at its name. Once written, each link is checked again by what the file
 * system resolves it to.
 */
final class SourceCheckout {

    /** Links followed to resolve one path before giving up, as Linux does (ELOOP). */
    private static final int MAX_LINKS = 40;
    private static final String RULE = "links must point inside the repository.";

    private SourceCheckout() {
    }

    /** One file, executable or link of the tree: {@code content} is a link's target. */
    private record Entry(FileMode mode, ObjectId id, String target) {
        boolean isLink() {
            return mode == FileMode.SYMLINK;
        }
    }

    /**
     * @param target a directory that does not exist yet, or is empty
     * @return how many submodules were left out
     * @throws DeployException when the tree could write outside {@code target}; nothing has
     *                         been written outside then, and the message says which entry
     */
    static int checkout(Repository repo, ObjectId commitId, Path target) throws IOException, DeployException {
        try (ObjectReader reader = repo.newObjectReader()) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            int submodules = read(reader, commitId, entries);
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                if (e.getValue().isLink()) {
                    checkLink(e.getKey(), e.getValue().target(), entries);
                }
            }
            Files.createDirectories(target);
            Path root = target.toRealPath();
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                write(reader, root, e.getKey(), e.getValue());
            }
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                if (e.getValue().isLink()) {
                    checkWrittenLink(root, e.getKey(), e.getValue().target());
                }
            }
            return submodules;
        }
    }

    /** Reads every entry of the commit's tree, refusing names and paths that no checkout may write. */
    private static int read(ObjectReader reader, ObjectId commitId, Map<String, Entry> entries)
            throws IOException, DeployException {
        int submodules = 0;
        Set<String> folders = new HashSet<>();
        try (RevWalk walk = new RevWalk(reader); TreeWalk tree = new TreeWalk(reader)) {
            RevCommit commit = walk.parseCommit(commitId);
            tree.addTree(commit.getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                String path = tree.getPathString();
                List<String> names = List.of(path.split("/", -1));
                for (String name : names) {
                    checkName(path, name);
                }
                FileMode mode = tree.getFileMode(0);
                if (mode == FileMode.GITLINK) {
                    submodules++;
                    continue;
                }
                if (entries.containsKey(path) || folders.contains(path)) {
                    throw refused("The tree holds '" + shown(path) + "' twice; git never writes such a tree.");
                }
                String parent = "";
                for (int i = 0; i < names.size() - 1; i++) {
                    parent = parent.isEmpty() ? names.get(i) : parent + "/" + names.get(i);
                    if (entries.containsKey(parent)) {
                        throw refused("The tree holds '" + shown(parent) + "' both as a file or link and as a folder;"
                                + " git never writes such a tree.");
                    }
                    folders.add(parent);
                }
                String linkTarget = null;
                if (mode == FileMode.SYMLINK) {
                    linkTarget = new String(reader.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
                }
                entries.put(path, new Entry(mode, tree.getObjectId(0), linkTarget));
            }
        }
        return submodules;
    }

    private static void checkName(String path, String name) throws DeployException {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.toLowerCase(Locale.ROOT).equals(".git")
                || name.indexOf('\0') >= 0) {
            throw refused("The tree holds an entry named '" + shown(name) + "' (in '" + shown(path)
                    + "'); git never writes such a tree.");
        }
    }

    /**
     * Follows a link through the tree as the kernel will once it is written: component by
     * component, each link met replaced by its target, {@code ..} going up from what the path
     * has resolved to so far. Refuses the tree if it goes above the root or loops.
     */
    private static void checkLink(String path, String target, Map<String, Entry> entries) throws DeployException {
        String leadsOut = "The link '" + shown(path) + "' leads out of the app's files (to '" + shown(target) + "'); " + RULE;
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
            throw refused("The link '" + shown(path) + "' has no usable target; " + RULE);
        }
        if (target.startsWith("/")) {
            throw refused(leadsOut);
        }
        Deque<String> todo = new ArrayDeque<>(List.of(path.split("/")));
        List<String> at = new ArrayList<>();
        int followed = 0;
        while (!todo.isEmpty()) {
            String name = todo.removeFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (at.isEmpty()) {
                    throw refused(leadsOut);
                }
                at.remove(at.size() - 1);
                continue;
            }
            at.add(name);
            Entry entry = entries.get(String.join("/", at));
            if (entry != null && entry.isLink()) {
                if (++followed > MAX_LINKS) {
                    throw refused("The link '" + shown(path) + "' never resolves (links in a loop); " + RULE);
                }
                String next = entry.target();
                if (next.isEmpty() || next.startsWith("/")) {
                    throw refused(leadsOut);
                }
                at.remove(at.size() - 1);
                String[] names = next.split("/");
                for (int i = names.length - 1; i >= 0; i--) {
                    todo.addFirst(names[i]);
                }
            }
        }
    }

    /** Writes one entry under {@code root} without following any link on the way. */
    private static void write(ObjectReader reader, Path root, String path, Entry entry) throws IOException, DeployException {
        String[] names = path.split("/");
        Path dir = root;
        for (int i = 0; i < names.length - 1; i++) {
            dir = dir.resolve(names[i]);
            try {
                Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw refused("'" + shown(path) + "' would be written through '" + shown(root.relativize(dir).toString())
                            + "', which is not a folder.");
                }
            }
        }
        Path file = dir.resolve(names[names.length - 1]);
        if (!file.getParent().equals(dir) || !file.startsWith(root)) {
            throw refused("The tree holds an entry named '" + shown(path) + "'; git never writes such a tree.");
        }
        if (entry.isLink()) {
            try {
                Files.createSymbolicLink(file, Path.of(entry.target()));
            } catch (InvalidPathException e) {
                throw refused("The link '" + shown(path) + "' has no usable target; " + RULE);
            }
            return;
        }
        byte[] content = reader.open(entry.id()).getBytes();
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            out.write(content);
        }
        if (entry.mode() == FileMode.EXECUTABLE_FILE) {
            Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** What the file system resolves a written link to: inside the root, or nothing yet. */
    private static void checkWrittenLink(Path root, String path, String target) throws IOException, DeployException {
        Path link = root.resolve(path);
        if (Files.exists(link) && !link.toRealPath().startsWith(root)) {
            Files.delete(link);
            throw refused("The link '" + shown(path) + "' leads out of the app's files (to '" + shown(target) + "'); " + RULE);
        }
    }

    private static DeployException refused(String message) {
        return new DeployException(message);
    }

    /** A name from the tree, printable whatever bytes it holds, and not too long for a message. */
    private static String shown(String name) {
        String printable = name.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 120 ? printable.substring(0, 117) + "..." : printable;
    }
}
