package cloud.hop3.builder.php;

import java.nio.file.Path;
import java.util.Optional;

import cloud.hop3.plugin.support.build.AppFiles;
import cloud.hop3.plugin.support.build.ShellWords;

/**
 * What a PHP app is, from the files of its tree (files only, no process: detection reads this).
 * A file counts only when it is a regular file that stays inside the tree.
 * <ul>
 * <li>{@value #COMPOSER_JSON} at the top: Composer installs its dependencies.</li>
 * <li>The document root is {@code public/} when it has {@code index.php} (Laravel, Symfony,
 * Slim), else the app's top directory.</li>
 * <li>The router script, given to PHP's server for every request, is the app's {@value #ROUTER} at
 * the top of the app, else in the document root; else the builder's {@link GuardRouter}.</li>
 * </ul>
 *
 * @param composer whether the app has composer.json
 * @param docroot  the document root, relative to the app: {@code public} or {@code .}
 * @param index    whether the document root has index.php
 * @param router   the app's router script, relative to the app, if it has one
 */
record PhpProject(boolean composer, String docroot, boolean index, Optional<String> router) {

    static final String COMPOSER_JSON = "composer.json";
    static final String PUBLIC_INDEX = "public/index.php";
    static final String INDEX = "index.php";
    static final String ROUTER = "router.php";

    static PhpProject of(Path dir) {
        boolean composer = AppFiles.has(dir, COMPOSER_JSON);
        String docroot = AppFiles.has(dir, PUBLIC_INDEX) ? "public" : ".";
        boolean index = AppFiles.has(dir, docroot.equals(".") ? INDEX : PUBLIC_INDEX);
        Optional<String> router = Optional.empty();
        if (AppFiles.has(dir, ROUTER)) {
            router = Optional.of(ROUTER);
        } else if (!docroot.equals(".") && AppFiles.has(dir, docroot + "/" + ROUTER)) {
            router = Optional.of(docroot + "/" + ROUTER);
        }
        return new PhpProject(composer, docroot, index, router);
    }

    /** What makes it a PHP app, for detection; empty when it is none. */
    Optional<String> marker() {
        if (composer) {
            return Optional.of(COMPOSER_JSON);
        }
        if (index) {
            return Optional.of(docroot.equals(".") ? INDEX : PUBLIC_INDEX);
        }
        return Optional.empty();
    }

    /**
     * PHP's built-in server on the process's port, serving the document root with the app's router
     * script, else the {@link GuardRouter}; empty when there is neither index.php nor a router to serve.
     */
    Optional<String> webCommand(String php) {
        if (!index && router.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ShellWords.quoted(php) + " -S 127.0.0.1:$PORT -t " + docroot + " "
                + router.orElse(GuardRouter.PATH));
    }
}
