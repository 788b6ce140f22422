package cloud.hop3.builder.php;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import cloud.hop3.api.build.BuildException;

/**
 * The router script that PHP's built-in server gets when the app brings none. The server serves
 * every file under its document root, which for an app without {@code public/} is the whole
 * app: this script answers 404 for hidden files and directories ({@code .env}, {@code .git}),
 * {@code vendor/}, Composer's files (with {@code auth.json}) and the platform's ({@code Procfile},
 * {@code hop3.toml}, {@code app.json}), and leaves every other request to the server (a file as
 * it is, a PHP script run, anything else to {@code index.php}).
 */
final class GuardRouter {

    /** Where the builder writes it, relative to the app. */
    static final String PATH = ".hop3/php-router.php";

    static final String SCRIPT = """
            <?php
            // Written by Hop3's php builder, as the router script of PHP's built-in server: it refuses
            // hidden files, vendor/ and the app's configuration files, and leaves the rest to the server.
            $path = rawurldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
            if (preg_match('#(^|/)\\.|^/vendor(/|$)|^/(composer\\.(json|lock)|auth\\.json|Procfile|hop3\\.toml|app\\.json)$#',
                    $path)) {
                http_response_code(404);
                header('Content-Type: text/plain');
                echo "Not Found\\n";
                return true;
            }
            return false;
            """;

    private GuardRouter() {
    }

    /** Writes the script into the slug; a {@code .hop3} link of the app's is replaced, never followed. */
    static void write(Path slug) throws BuildException {
        Path file = slug.resolve(PATH);
        try {
            if (Files.isSymbolicLink(file.getParent())) {
                Files.delete(file.getParent());
            }
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.writeString(file, SCRIPT);
        } catch (IOException e) {
            throw new BuildException("Could not write the router script " + PATH + " into the app: " + e.getMessage(), e);
        }
    }
}
