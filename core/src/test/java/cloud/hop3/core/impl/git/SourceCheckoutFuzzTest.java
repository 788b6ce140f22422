package cloud.hop3.core.impl.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.deploy.DeployException;
import cloud.hop3.plugin.support.files.Trees;

/**
 * Random trees of folders, files and chains of links, with names used twice and targets full of
 * {@code ..}: whatever the tree, the checkout either refuses it with a readable message or writes
 * it, and in both cases nothing exists outside the target afterwards, and every link written
 * resolves inside it. Seeded, so a failure repeats.
 */
class SourceCheckoutFuzzTest {

    private static final String[] NAMES = {"a", "u", "esc"};
    private static final String[] STEPS = {"..", "..", ".", "u", "esc", ""};
    private static final Pattern READABLE = Pattern.compile("[\\x20-\\x7e]+");

    @TempDir
    Path dir;

    @Test
    void noTreeWritesOutsideItsTarget() throws Exception {
        Random random = new Random(10);
        int written = 0;
        int refused = 0;
        try (Git git = Git.init().setBare(true).setDirectory(dir.resolve("repo.git").toFile()).call()) {
            Repository repo = git.getRepository();
            for (int i = 0; i < 3000; i++) {
                ObjectId commit = CraftedTrees.commit(repo, nodes(random, 0).toArray(CraftedTrees.Node[]::new));
                Path sandbox = Files.createDirectories(dir.resolve("sandbox/one/two/three"));
                Path target = sandbox.resolve("src");
                try {
                    SourceCheckout.checkout(repo, commit, target);
                    written++;
                    assertLinksInside(target, "tree " + i);
                } catch (DeployException e) {
                    refused++;
                    assertTrue(READABLE.matcher(e.getMessage()).matches(), e.getMessage());
                }
                try (Stream<Path> walk = Files.walk(dir.resolve("sandbox"))) {
                    List<Path> outside = walk.filter(p -> !p.startsWith(target) && !target.startsWith(p)).toList();
                    assertEquals(List.of(), outside, "tree " + i + " wrote outside its target");
                }
                Trees.delete(dir.resolve("sandbox"));
            }
        }
        assertTrue(written > 200 && refused > 200, written + " trees written, " + refused + " refused: the fuzz covers both");
    }

    private static void assertLinksInside(Path target, String what) throws Exception {
        Path root = target.toRealPath();
        try (Stream<Path> walk = Files.walk(target)) {
            for (Path p : walk.filter(Files::isSymbolicLink).toList()) {
                if (Files.exists(p)) {
                    assertTrue(p.toRealPath().startsWith(root), what + ": " + p + " leads to " + p.toRealPath());
                } else {
                    assertTrue(Files.exists(p, LinkOption.NOFOLLOW_LINKS), what);
                }
            }
        }
    }

    private static List<CraftedTrees.Node> nodes(Random random, int depth) {
        List<CraftedTrees.Node> nodes = new ArrayList<>();
        int count = 1 + random.nextInt(depth == 0 ? 5 : 3);
        for (int i = 0; i < count; i++) {
            String name = NAMES[random.nextInt(NAMES.length)];
            int kind = random.nextInt(10);
            if (kind < 4 && depth < 3) {
                nodes.add(new CraftedTrees.Node(name, org.eclipse.jgit.lib.FileMode.TREE, null, nodes(random, depth + 1)));
            } else if (kind < 8) {
                nodes.add(CraftedTrees.link(name, target(random)));
            } else {
                nodes.add(CraftedTrees.file(name, "x"));
            }
        }
        return nodes;
    }

    private static String target(Random random) {
        if (random.nextInt(30) == 0) {
            return "/tmp";
        }
        int steps = 1 + random.nextInt(3);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            parts.add(STEPS[random.nextInt(STEPS.length)]);
        }
        String joined = String.join("/", parts);
        return joined.isEmpty() ? "." : joined;
    }
}
