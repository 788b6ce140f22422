package cloud.hop3.builder.staticsite;

import java.nio.file.Path;

/**
 * A validated site directory: it exists, and it and the source tree are real paths (no symbolic
 * links left), the directory inside the tree.
 *
 * @param sourceRoot the real path of the source tree
 * @param directory  the real path of the directory to serve
 * @param shownName  the directory as shown to the user, relative to the tree: {@code public/},
 *                   or {@code ./} for the tree itself
 */
record Site(Path sourceRoot, Path directory, String shownName) {

    static final String ROOT_NAME = "./";

    /** A path below {@link #directory()} as shown to the user: {@code public/css/site.css}. */
    String show(Path path) {
        String relative = directory.relativize(path).toString();
        if (relative.isEmpty()) {
            return shownName;
        }
        return ROOT_NAME.equals(shownName) ? relative : shownName + relative;
    }
}
