package cloud.hop3.core.impl.git;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Writes the tree of a commit into a directory, as {@code git archive | tar x} would: regular and
 * executable files, and symbolic links whose real target is inside the tree. Links that lead out
 * of it (also through other links), links to nothing, and submodules are left out, and counted.
 */
final class SourceCheckout {

    private SourceCheckout() {
    }

    /**
     * @return how many entries were skipped (links leading out, submodules)
     */
    static int checkout(Repository repo, ObjectId commitId, Path target) throws IOException {
        Files.createDirectories(target);
        List<Path> links = new ArrayList<>();
        int skipped = write(repo, commitId, target, links);
        // A link may lead out through another link (self -> ., out -> self/../x): once every
        // entry is written, keep only the links whose real target is inside the tree.
        Path root = target.toRealPath();
        for (Path link : links) {
            boolean inside;
            try {
                inside = link.toRealPath().startsWith(root);
            } catch (IOException e) {
                inside = false;
            }
            if (!inside) {
                Files.deleteIfExists(link);
                skipped++;
            }
        }
        return skipped;
    }

    private static int write(Repository repo, ObjectId commitId, Path target, List<Path> links) throws IOException {
        int skipped = 0;
        try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader();
             TreeWalk tree = new TreeWalk(reader)) {
            RevCommit commit = walk.parseCommit(commitId);
            tree.addTree(commit.getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                Path file = target.resolve(tree.getPathString()).normalize();
                if (!file.startsWith(target)) {
                    skipped++;
                    continue;
                }
                FileMode mode = tree.getFileMode(0);
                if (mode == FileMode.GITLINK) {
                    skipped++;
                    continue;
                }
                Files.createDirectories(file.getParent());
                byte[] content = reader.open(tree.getObjectId(0)).getBytes();
                if (mode == FileMode.SYMLINK) {
                    Path linkTarget = Path.of(new String(content, StandardCharsets.UTF_8));
                    if (linkTarget.isAbsolute() || !file.getParent().resolve(linkTarget).normalize().startsWith(target)) {
                        skipped++;
                        continue;
                    }
                    Files.createSymbolicLink(file, linkTarget);
                    links.add(file);
                    continue;
                }
                try (OutputStream out = Files.newOutputStream(file)) {
                    out.write(content);
                }
                if (mode == FileMode.EXECUTABLE_FILE) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
        return skipped;
    }
}
