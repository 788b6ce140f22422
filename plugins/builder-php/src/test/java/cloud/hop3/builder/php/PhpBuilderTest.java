package cloud.hop3.builder.php;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.build.BuildArtifact;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.plugin.testkit.BuilderTestCase;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.Programs;
import cloud.hop3.plugin.testkit.RecordingBuildLog;
import cloud.hop3.plugin.testkit.TestFiles;
import cloud.hop3.plugin.testkit.WebProcess;

/**
 * Builds with the machine's real PHP and Composer, without network: packagist is not asked (the
 * apps require nothing from it, or name repositories on disk or on a closed port).
 */
class PhpBuilderTest extends BuilderTestCase {

    static final List<String> INSTALL = List.of("composer", "install", "--no-dev", "--no-interaction", "--prefer-dist",
            "--optimize-autoloader", "--no-progress", "--no-ansi");
    static final List<String> VERSION = List.of("php", "-r", "echo 'PHP ', PHP_VERSION, PHP_EOL;");

    final PhpBuilder builder = new PhpBuilder(ComponentConfig.of(PhpBuilder.Config.class), commands, System.getenv());

    @Test
    void composerAppWithoutRequirementsGetsItsAutoloaderAndIsServedFromPublic() throws Exception {
        Programs.require("php");
        Programs.require("composer");
        write("composer.json", """
                {"name": "demo/shop", "require": {"php": ">=8.0"}, "autoload": {"psr-4": {"Shop\\\\": "src/"}}}
                """);
        write("src/Greeting.php", "<?php\nnamespace Shop;\nclass Greeting { static function text() { return 'hello"
                + " from php ' . PHP_MAJOR_VERSION; } }\n");
        write("public/index.php", "<?php\nrequire __DIR__ . '/../vendor/autoload.php';\necho \\Shop\\Greeting::text(),"
                + " ' at ', $_SERVER['REQUEST_URI'];\n");

        BuildArtifact artifact = builder.build(request(Map.of()), log);

        assertEquals(List.of("Building with php"), log.steps);
        assertEquals(List.of(VERSION, INSTALL), commands());
        assertTrue(log.infos.stream().anyMatch(l -> l.matches("PHP \\d+\\.\\d+\\.\\d+.*")), log.infos.toString());
        assertTrue(log.infos.contains("Installing dependencies with composer install; commit composer.lock for"
                + " repeatable builds"), log.infos.toString());
        assertTrue(Files.isRegularFile(slug.resolve("vendor/autoload.php")));
        assertTrue(Files.readString(slug.resolve("vendor/composer/autoload_classmap.php")).contains("Shop\\\\Greeting"),
                "the autoloader is optimised: a class map");
        Map<String, String> env = commands.runs.get(1).env();
        assertEquals(cache.resolve("composer/home").toString(), env.get("COMPOSER_HOME"));
        assertEquals(cache.resolve("composer/cache").toString(), env.get("COMPOSER_CACHE_DIR"));
        String web = "php -S 127.0.0.1:$PORT -t public .hop3/php-router.php";
        assertEquals(Map.of("web", web), artifact.runtime().processes());
        assertEquals(List.of("vendor/bin"), artifact.runtime().path());
        assertTrue(log.infos.contains("Default web process: " + web + " (a Procfile line for web wins)"));
        assertEquals("hello from php 8 at /", serve(web, "/"));
        assertEquals("hello from php 8 at /some/route", serve(web, "/some/route"), "index.php is the front controller");
    }

    @Test
    void dependencyFromARepositoryOnDiskIsCopiedIntoVendorAndLocked() throws Exception {
        Programs.require("php");
        Programs.require("composer");
        Path greeter = Files.createDirectories(tmp.resolve("packages/greeter/src"));
        Files.writeString(greeter.resolveSibling("composer.json"), "{\"name\": \"demo/greeter\", \"version\": \"1.2.0\","
                + " \"autoload\": {\"psr-4\": {\"Greeter\\\\\": \"src/\"}}}");
        Files.writeString(greeter.resolve("Hello.php"),
                "<?php\nnamespace Greeter;\nclass Hello { static function to($n) { return \"hello $n\"; } }\n");
        write("composer.json", "{\"repositories\": [{\"type\": \"path\", \"url\": \"" + greeter.getParent()
                + "\", \"options\": {\"symlink\": false}}, {\"packagist.org\": false}],"
                + " \"require\": {\"demo/greeter\": \"^1.2\"}}");
        write("index.php", "<?php\nrequire 'vendor/autoload.php';\necho \\Greeter\\Hello::to('hop3');\n");

        BuildArtifact first = builder.build(request(Map.of()), log);

        Path installed = slug.resolve("vendor/demo/greeter/src/Hello.php");
        assertTrue(Files.isRegularFile(installed) && !Files.isSymbolicLink(slug.resolve("vendor/demo/greeter")),
                "a copy in the slug, not a link out of it");
        assertTrue(Files.readString(slug.resolve("composer.lock")).contains("\"version\": \"1.2.0\""));
        assertEquals("hello hop3", serve(first.runtime().processes().get("web"), "/"));

        Path next = Files.createDirectory(tmp.resolve("slug2"));
        for (String name : List.of("composer.json", "composer.lock", "index.php")) {
            Files.copy(slug.resolve(name), next.resolve(name));
        }
        RecordingBuildLog nextLog = new RecordingBuildLog();
        builder.build(request(next, Map.of()), nextLog);
        assertTrue(nextLog.infos.contains("Installing dependencies with composer install, as composer.lock says"),
                nextLog.infos.toString());
        assertTrue(Files.isRegularFile(next.resolve("vendor/demo/greeter/src/Hello.php")));
    }

    @Test
    void requirementThatCannotBeFetchedFailsWithComposersReason() throws IOException {
        Programs.require("php");
        Programs.require("composer");
        int port = closedPort();
        write("composer.json", "{\"repositories\": [{\"type\": \"composer\", \"url\": \"https://127.0.0.1:" + port + "\"},"
                + " {\"packagist.org\": false}], \"require\": {\"demo/unreachable\": \"^1.0\"}}");

        BuildException e = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));

        assertEquals("composer install could not install the dependencies of composer.json: The \"https://127.0.0.1:"
                + port + "/packages.json\" file could not be downloaded: Failed to open stream: Connection refused",
                e.getMessage());
    }

    @Test
    void unknownPackageFailsWithComposersProblem() throws IOException {
        Programs.require("php");
        Programs.require("composer");
        write("composer.json", "{\"repositories\": [{\"packagist.org\": false}],"
                + " \"require\": {\"demo/no-such-package\": \"^1.0\"}}");

        BuildException e = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));

        assertEquals("composer install could not install the dependencies of composer.json: Root composer.json requires"
                + " demo/no-such-package, it could not be found in any version, there may be a typo in the package name.",
                e.getMessage());
    }

    @Test
    void malformedComposerJsonSaysWhere() throws IOException {
        Programs.require("php");
        Programs.require("composer");
        write("composer.json", "{\"name\": \"demo/x\",\n \"require\": {}\n,}\n");

        BuildException e = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));

        assertTrue(e.getMessage().startsWith("composer install could not install the dependencies of composer.json:"
                + " \"./composer.json\" does not contain valid JSON Parse error on line 3"), e.getMessage());
    }

    @Test
    void indexPhpAloneIsServedFromTheTopWithoutComposer() throws Exception {
        Programs.require("php");
        Programs.require("composer");
        write("index.php", "<?php echo 'plain ', getenv('GREETING') ?: 'php';\n");

        BuildArtifact artifact = builder.build(request(Map.of()), log);

        assertEquals(List.of(VERSION), commands());
        assertTrue(log.infos.contains("No composer.json: nothing to install."), log.infos.toString());
        String web = "php -S 127.0.0.1:$PORT -t . .hop3/php-router.php";
        assertEquals(Map.of("web", web), artifact.runtime().processes());
        assertEquals(List.of(), artifact.runtime().path());
        assertEquals("plain php", serve(web, "/"));
    }

    @Test
    void hiddenAndConfigurationFilesAreNotServedFromTheAppsTop() throws Exception {
        Programs.require("php");
        Programs.require("composer");
        write("composer.json", "{\"require\": {}}");
        write("index.php", "<?php echo 'front controller for ', $_SERVER['REQUEST_URI'];\n");
        write(".env", "SECRET=1");
        write("hop3.toml", "[env]\nSECRET = \"2\"\n");
        write("robots.txt", "User-agent: *");
        Files.createDirectories(slug.resolve(".hop3"));
        Files.createSymbolicLink(slug.resolve(".hop3/php-router.php"), tmp.resolve("elsewhere.php"));

        String web = builder.build(request(Map.of()), log).runtime().processes().get("web");

        assertTrue(Files.isRegularFile(slug.resolve(".hop3/php-router.php"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.notExists(tmp.resolve("elsewhere.php")), "the app's link is replaced, not followed");
        for (String path : List.of("/.env", "/%2eenv", "/x/../.env", "/vendor/autoload.php", "/composer.json",
                "/composer.lock", "/hop3.toml", "/.hop3/php-router.php")) {
            assertEquals("Not Found\n", serve(web, path), path);
        }
        assertEquals("User-agent: *", serve(web, "/robots.txt"));
        assertEquals("front controller for /orders/7", serve(web, "/orders/7"));
    }

    @Test
    void routerScriptAnswersEveryRequest() throws Exception {
        Programs.require("php");
        write("index.php", "<?php echo 'index';\n");
        write("router.php", "<?php\nif ($_SERVER['REQUEST_URI'] === '/static.txt') { return false; }\n"
                + "echo 'routed ', $_SERVER['REQUEST_URI'];\n");
        write("static.txt", "a file");

        BuildArtifact artifact = builder.build(request(Map.of()), log);

        String web = artifact.runtime().processes().get("web");
        assertEquals("php -S 127.0.0.1:$PORT -t . router.php", web);
        assertTrue(Files.notExists(slug.resolve(".hop3")), "the app's router is in charge");
        assertEquals("routed /index.php", serve(web, "/index.php"));
        assertEquals("a file", serve(web, "/static.txt"));
    }

    @Test
    void missingPhpOrComposerSaysWhatToInstall() throws IOException {
        Programs.require("php");
        write("composer.json", "{}");

        BuildException noPhp = assertThrows(BuildException.class, () -> new PhpBuilder(
                ComponentConfig.of(PhpBuilder.Config.class, "php", "/nonexistent/php"), commands, System.getenv()).build(request(Map.of()), log));
        BuildException noComposer = assertThrows(BuildException.class, () -> new PhpBuilder(
                ComponentConfig.of(PhpBuilder.Config.class, "composer", "/nonexistent/composer"), commands, System.getenv())
                .build(request(Map.of()), log));

        assertTrue(noPhp.getMessage().startsWith("PHP is not installed on this server (Debian: apt-get install php-cli)."
                + " Could not start `/nonexistent/php"), noPhp.getMessage());
        assertTrue(noComposer.getMessage().startsWith("Composer is not installed on this server (Debian: apt-get install"
                + " composer). Could not start `/nonexistent/composer"), noComposer.getMessage());
    }

    @Test
    void noPhpFilesIsAClearError() {
        BuildException e = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));

        assertEquals("The app has no composer.json, index.php or public/index.php; add one to build it as a PHP app.",
                e.getMessage());
        assertEquals(List.of(), commands.runs);
    }

    void write(String path, String content) throws IOException {
        TestFiles.write(slug.resolve(path), content);
    }

    /** Runs the web command in the slug as an app process runs, and returns its answer to GET {@code path}. */
    String serve(String command, String path) throws Exception {
        try (WebProcess web = WebProcess.start(slug, command, Map.of(), tmp)) {
            return web.awaitAnswer(path, Duration.ofSeconds(20)).body();
        }
    }
}
