package cloud.hop3.core.impl.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
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

import cloud.hop3.api.deploy.DeployException;

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
            Files.createSymbolicLink(work.resolve("later"), Path.of("build/output"));
            RevCommit commit = commitAll(git, "First");
            Repository repo = git.getRepository();
            Map<String, FileMode> modes = modes(repo, commit);
            assertEquals(FileMode.EXECUTABLE_FILE, modes.get("bin/start"));
            assertEquals(FileMode.SYMLINK, modes.get("later"));
            Path target = root.resolve("build/source");

            int skipped = SourceCheckout.checkout(repo, commit, target);

            assertEquals(0, skipped);
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
                    Map.entry("current", "link -> src"),
                    Map.entry("later", "link -> build/output")));
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
    void submodulesAreSkipped() throws Exception {
        try (Git git = Git.init().setBare(true).setDirectory(root.resolve("shop.git").toFile()).call()) {
            ObjectId commit = CraftedTrees.commit(git.getRepository(),
                    CraftedTrees.file("Procfile", "web: ./run\n"),
                    CraftedTrees.submodule("vendor"));
            Path target = root.resolve("build/source");

            assertEquals(1, SourceCheckout.checkout(git.getRepository(), commit, target));

            assertEquals(Map.of("Procfile", "rw- web: ./run\n"), tree(target));
        }
    }

    /** Refused trees write nothing outside the target, and the message names the entry. */
    private void refused(String expected, CraftedTrees.Node... top) throws Exception {
        Path repoDir = Files.createTempDirectory(root, "repo");
        try (Git git = Git.init().setBare(true).setDirectory(repoDir.toFile()).call()) {
            ObjectId commit = CraftedTrees.commit(git.getRepository(), top);
            Path target = Files.createDirectories(root.resolve("build/one/two")).resolve("source");

            DeployException e = assertThrows(DeployException.class,
                    () -> SourceCheckout.checkout(git.getRepository(), commit, target));

            assertEquals(expected, e.getMessage());
            assertEquals(List.of(), outside(root.resolve("build"), target));
        }
    }

    @Test
    void namesThatGitNeverWritesRefuseTheTree() throws Exception {
        refused("The tree holds an entry named '..' (in '../evil.txt'); git never writes such a tree.",
                CraftedTrees.dir("..", CraftedTrees.file("evil.txt", "pwned")));
        refused("The tree holds an entry named '.git' (in 'x/.git/config'); git never writes such a tree.",
                CraftedTrees.path("x/.git", CraftedTrees.file("config", "[core]")));
        refused("The tree holds an entry named '.GIT' (in '.GIT/hooks'); git never writes such a tree.",
                CraftedTrees.dir(".GIT", CraftedTrees.file("hooks", "x")));
        refused("The tree holds an entry named '.' (in './x'); git never writes such a tree.",
                CraftedTrees.dir(".", CraftedTrees.file("x", "x")));
    }

    @Test
    void aNameUsedTwiceRefusesTheTree() throws Exception {
        refused("The tree holds 'lib' both as a file or link and as a folder; git never writes such a tree.",
                CraftedTrees.link("lib", "vendor"), CraftedTrees.dir("lib", CraftedTrees.file("x.py", "x")),
                CraftedTrees.dir("vendor"));
        refused("The tree holds 'lib' twice; git never writes such a tree.",
                CraftedTrees.dir("lib", CraftedTrees.file("x.py", "x")), CraftedTrees.link("lib", "vendor"));
        refused("The tree holds 'a' twice; git never writes such a tree.",
                CraftedTrees.file("a", "one"), CraftedTrees.file("a", "two"));
    }

    @Test
    void linksThatLeadOutRefuseTheTree() throws Exception {
        refused("The link 'passwd' leads out of the app's files (to '/etc/passwd'); links must point inside the repository.",
                CraftedTrees.link("passwd", "/etc/passwd"));
        refused("The link 'escape' leads out of the app's files (to '../outside.txt'); links must point inside the repository.",
                CraftedTrees.link("escape", "../outside.txt"));
        refused("The link 'escape' leads out of the app's files (to 'self/../outside.txt'); links must point inside the repository.",
                CraftedTrees.link("self", "."), CraftedTrees.link("escape", "self/../outside.txt"));
        refused("The link 'a/b' leads out of the app's files (to '../deep/u/../x'); links must point inside the repository.",
                CraftedTrees.dir("a", CraftedTrees.link("b", "../deep/u/../x")), CraftedTrees.dir("deep", CraftedTrees.link("u", "..")));
        refused("The link 'x' never resolves (links in a loop); links must point inside the repository.",
                CraftedTrees.link("x", "y"), CraftedTrees.link("y", "x"));
        refused("The link 'x' has no usable target; links must point inside the repository.",
                CraftedTrees.link("x", ""));
    }

    /** Everything under {@code dir} that is neither {@code target}, one of its folders, nor inside it. */
    private static List<String> outside(Path dir, Path target) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !p.startsWith(target) && !target.startsWith(p))
                    .map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void theProbesLinkChainWithAFolderOfTheSameNameWritesNothingOutside() throws Exception {
        Path target = Files.createDirectories(root.resolve("home/tmp/builds/app-1")).resolve("src");
        try (Git git = Git.init().setBare(true).setDirectory(root.resolve("repo.git").toFile()).call()) {
            Repository repo = git.getRepository();
            ObjectId commit = CraftedTrees.commit(repo,
                    CraftedTrees.path("a/b/c/d/e/f", CraftedTrees.link("u", "../../../../../..")),
                    CraftedTrees.link("esc", "a/b/c/d/e/f/u/../../../.."),
                    CraftedTrees.dir("esc", CraftedTrees.file("PWNED-by-push.txt", "pwned")));

            DeployException refused = assertThrows(DeployException.class, () -> SourceCheckout.checkout(repo, commit, target));

            assertFalse(Files.exists(root.resolve("home/PWNED-by-push.txt"), LinkOption.NOFOLLOW_LINKS));
            assertEquals(List.of("repo.git"), outside(root, target).stream().filter(p -> !p.startsWith("repo.git/")).toList());
            assertTrue(refused.getMessage().contains("'esc'"), refused.getMessage());
        }
    }

    @Test
    void aLinkThatLeadsOutThroughAChainOfLinksRefusesTheTree() throws Exception {
        Path target = Files.createDirectories(root.resolve("home/tmp/builds/app-1")).resolve("src");
        try (Git git = Git.init().setBare(true).setDirectory(root.resolve("repo.git").toFile()).call()) {
            Repository repo = git.getRepository();
            ObjectId commit = CraftedTrees.commit(repo,
                    CraftedTrees.file("Procfile", "web: ./run\n"),
                    CraftedTrees.path("a/b/c/d/e/f", CraftedTrees.link("u", "../../../../../..")),
                    CraftedTrees.link("esc", "a/b/c/d/e/f/u/../../../.."));

            DeployException refused = assertThrows(DeployException.class, () -> SourceCheckout.checkout(repo, commit, target));

            assertEquals("The link 'esc' leads out of the app's files (to 'a/b/c/d/e/f/u/../../../..');"
                    + " links must point inside the repository.", refused.getMessage());
            assertEquals(List.of(), outside(root.resolve("home"), target));
        }
    }
}
