package cloud.hop3.core.impl.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceCheckoutTest {

    private static final PersonIdent DEV = new PersonIdent("Dev", "dev@example.org");

    @TempDir
    Path root;

    private Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private static RevCommit commitAll(Git git, String message) throws Exception {
        git.add().addFilepattern(".").call();
        return git.commit().setMessage(message).setAuthor(DEV).setCommitter(DEV).setSign(false).call();
    }

    /** Each entry of a tree: "dir", "link -> target", or the file's permissions and content. */
    private static Map<String, String> tree(Path dir) throws IOException {
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

    /** The modes git recorded, to be sure the repository holds what the test means. */
    private static Map<String, FileMode> modes(Repository repo, ObjectId commit) throws IOException {
        Map<String, FileMode> modes = new TreeMap<>();
        try (RevWalk walk = new RevWalk(repo); TreeWalk tw = new TreeWalk(repo)) {
            tw.addTree(walk.parseCommit(commit).getTree());
            tw.setRecursive(true);
            while (tw.next()) {
                modes.put(tw.getPathString(), tw.getFileMode(0));
            }
        }
        return modes;
    }

    @Test
    void writesFilesExecutablesAndLinksThatStayInside() throws Exception {
        Path work = root.resolve("work");
        write(root.resolve("outside.txt"), "secret");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            write(work.resolve("Procfile"), "web: bin/start\n");
            write(work.resolve("config.toml"), "debug = false\n");
            Path start = write(work.resolve("bin/start"), "#!/bin/sh\nexec python -m app\n");
            Files.setPosixFilePermissions(start, PosixFilePermissions.fromString("rwxr-xr-x"));
            write(work.resolve("src/app/main.py"), "print('hi')\n");
            write(work.resolve("src/app/templates/deep/page.html"), "<p>deep</p>");
            Files.createSymbolicLink(work.resolve("src/app/config.toml"), Path.of("../../config.toml"));
            Files.createSymbolicLink(work.resolve("current"), Path.of("src"));
            Files.createSymbolicLink(work.resolve("escape"), Path.of("../outside.txt"));
            Files.createSymbolicLink(work.resolve("passwd"), Path.of("/etc/passwd"));
            RevCommit commit = commitAll(git, "First");
            Repository repo = git.getRepository();
            Map<String, FileMode> modes = modes(repo, commit);
            assertEquals(FileMode.EXECUTABLE_FILE, modes.get("bin/start"));
            assertEquals(FileMode.SYMLINK, modes.get("escape"));
            assertEquals(FileMode.SYMLINK, modes.get("passwd"));
            Path target = root.resolve("build/source");

            int skipped = SourceCheckout.checkout(repo, commit, target);

            assertEquals(2, skipped, "the link to ../outside.txt and the absolute link");
            Map<String, String> expected = new TreeMap<>(Map.ofEntries(
                    Map.entry("Procfile", "rw- web: bin/start\n"),
                    Map.entry("config.toml", "rw- debug = false\n"),
                    Map.entry("bin", "dir"),
                    Map.entry("bin/start", "rwx #!/bin/sh\nexec python -m app\n"),
                    Map.entry("src", "dir"),
                    Map.entry("src/app", "dir"),
                    Map.entry("src/app/main.py", "rw- print('hi')\n"),
                    Map.entry("src/app/config.toml", "link -> ../../config.toml"),
                    Map.entry("src/app/templates", "dir"),
                    Map.entry("src/app/templates/deep", "dir"),
                    Map.entry("src/app/templates/deep/page.html", "rw- <p>deep</p>"),
                    Map.entry("current", "link -> src")));
            assertEquals(expected, tree(target));
            assertEquals("debug = false\n", Files.readString(target.resolve("src/app/config.toml")));
            assertEquals("print('hi')\n", Files.readString(target.resolve("current/app/main.py")));
        }
    }

    @Test
    void writesTheTreeOfTheCommitAskedForNotTheLatest() throws Exception {
        Path work = root.resolve("work");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            write(work.resolve("Procfile"), "web: ./v1\n");
            write(work.resolve("old.txt"), "old");
            RevCommit first = commitAll(git, "First");
            write(work.resolve("Procfile"), "web: ./v2\n");
            git.rm().addFilepattern("old.txt").call();
            write(work.resolve("new.txt"), "new");
            RevCommit second = commitAll(git, "Second");

            Path v1 = root.resolve("v1");
            Path v2 = root.resolve("v2");
            assertEquals(0, SourceCheckout.checkout(git.getRepository(), first, v1));
            assertEquals(0, SourceCheckout.checkout(git.getRepository(), second, v2));

            assertEquals(Map.of("Procfile", "rw- web: ./v1\n", "old.txt", "rw- old"), tree(v1));
            assertEquals(Map.of("Procfile", "rw- web: ./v2\n", "new.txt", "rw- new"), tree(v2));
        }
    }

    @Test
    void entriesNamedDotDotAndSubmodulesAreSkipped() throws Exception {
        Path bare = root.resolve("shop.git");
        try (Git git = Git.init().setBare(true).setDirectory(bare.toFile()).call();
             ObjectInserter inserter = git.getRepository().newObjectInserter()) {
            ObjectId evil = inserter.insert(Constants.OBJ_BLOB, "pwned".getBytes(StandardCharsets.UTF_8));
            ObjectId procfile = inserter.insert(Constants.OBJ_BLOB, "web: ./run\n".getBytes(StandardCharsets.UTF_8));
            TreeFormatter up = new TreeFormatter();
            up.append("evil.txt", FileMode.REGULAR_FILE, evil);
            ObjectId upTree = inserter.insert(up);
            TreeFormatter top = new TreeFormatter();
            top.append("..", FileMode.TREE, upTree);
            top.append("Procfile", FileMode.REGULAR_FILE, procfile);
            top.append("vendor", FileMode.GITLINK, ObjectId.fromString("0123456789abcdef0123456789abcdef01234567"));
            ObjectId treeId = inserter.insert(top);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(treeId);
            commit.setAuthor(DEV);
            commit.setCommitter(DEV);
            commit.setMessage("Crafted");
            ObjectId commitId = inserter.insert(commit);
            inserter.flush();
            Path target = root.resolve("build/source");

            int skipped = SourceCheckout.checkout(git.getRepository(), commitId, target);

            assertEquals(2, skipped, "the entry under '..' and the submodule");
            assertEquals(Map.of("Procfile", "rw- web: ./run\n"), tree(target));
            assertFalse(Files.exists(root.resolve("build/evil.txt")), "nothing is written outside the target");
        }
    }

    @Test
    void aLinkThroughALinkToTheRootDoesNotLeadOut() throws Exception {
        Path work = root.resolve("work");
        write(root.resolve("outside.txt"), "secret");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            write(work.resolve("Procfile"), "web: ./run\n");
            Files.createSymbolicLink(work.resolve("self"), Path.of("."));
            Files.createSymbolicLink(work.resolve("escape"), Path.of("self/../outside.txt"));
            RevCommit commit = commitAll(git, "Sneaky");
            assertEquals(FileMode.SYMLINK, modes(git.getRepository(), commit).get("escape"));
            Path target = root.resolve("source");
            int skipped = SourceCheckout.checkout(git.getRepository(), commit, target);
            Path escape = target.resolve("escape");
            assertFalse(Files.exists(escape) && !escape.toRealPath().startsWith(target.toRealPath()),
                    "escape leads to " + (Files.exists(escape) ? escape.toRealPath() + ", which reads '"
                            + Files.readString(escape) + "'" : "nothing"));
            assertEquals(1, skipped, "the link that leads out is skipped");
        }
    }
}
