package cloud.hop3.core.impl.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;

/**
 * Builds trees entry by entry, as an attacker with a hex editor would: names git itself never
 * writes, a link and a folder of the same name, entries in any order.
 */
final class CraftedTrees {

    private static final PersonIdent DEV = new PersonIdent("Dev", "dev@example.org");

    /** One entry of a tree: a file, a link (content is its target), or a folder of entries. */
    record Node(String name, FileMode mode, String content, List<Node> children) {
    }

    private CraftedTrees() {
    }

    static Node file(String name, String content) {
        return new Node(name, FileMode.REGULAR_FILE, content, List.of());
    }

    static Node link(String name, String target) {
        return new Node(name, FileMode.SYMLINK, target, List.of());
    }

    static Node dir(String name, Node... children) {
        return new Node(name, FileMode.TREE, null, List.of(children));
    }

    /** A submodule: a commit of another repository. */
    static Node submodule(String name) {
        return new Node(name, FileMode.GITLINK, "0123456789abcdef0123456789abcdef01234567", List.of());
    }

    /** Nested folders {@code a/b/c} holding the children. */
    static Node path(String path, Node... children) {
        String[] names = path.split("/");
        Node node = dir(names[names.length - 1], children);
        for (int i = names.length - 2; i >= 0; i--) {
            node = dir(names[i], node);
        }
        return node;
    }

    /** Writes the entries, in the order given, as the root tree of a new commit. */
    static ObjectId commit(Repository repo, Node... top) throws IOException {
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            ObjectId tree = tree(inserter, List.of(top));
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree);
            commit.setAuthor(DEV);
            commit.setCommitter(DEV);
            commit.setMessage("Crafted");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private static ObjectId tree(ObjectInserter inserter, List<Node> entries) throws IOException {
        TreeFormatter formatter = new TreeFormatter();
        for (Node node : new ArrayList<>(entries)) {
            ObjectId id;
            if (node.mode() == FileMode.TREE) {
                id = tree(inserter, node.children());
            } else if (node.mode() == FileMode.GITLINK) {
                id = ObjectId.fromString(node.content());
            } else {
                id = inserter.insert(Constants.OBJ_BLOB, node.content().getBytes(StandardCharsets.UTF_8));
            }
            formatter.append(node.name(), node.mode(), id);
        }
        return inserter.insert(formatter);
    }
}
