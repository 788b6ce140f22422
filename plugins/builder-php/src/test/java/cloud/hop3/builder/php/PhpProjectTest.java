package cloud.hop3.builder.php;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.build.Detection;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.TestBuildCommands;

class PhpProjectTest {

    @TempDir
    Path dir;
    final TestBuildCommands commands = new TestBuildCommands();
    final PhpBuilder builder = new PhpBuilder(ComponentConfig.of(PhpBuilder.Config.class), commands, Map.of());

    @Test
    void composerJsonMakesAPhpAppAboveNode() throws IOException {
        Files.writeString(dir.resolve("composer.json"), "{}");
        Files.writeString(dir.resolve("package.json"), "{}");

        assertEquals(Optional.of(new Detection(110, "found composer.json")), builder.detect(dir));
        assertTrue(commands.runs.isEmpty(), "detection runs nothing");
    }

    @Test
    void indexPhpAloneMakesAPhpAppAboveStaticSites() throws IOException {
        Files.writeString(dir.resolve("index.php"), "<?php echo 1;");
        assertEquals(Optional.of(new Detection(60, "found index.php")), builder.detect(dir));

        Path other = Files.createDirectories(dir.resolve("other/public"));
        Files.writeString(other.resolve("index.php"), "<?php echo 1;");
        Files.writeString(other.resolve("index.html"), "<h1>x</h1>");
        assertEquals(Optional.of(new Detection(60, "found public/index.php")), builder.detect(dir.resolve("other")));
    }

    @Test
    void otherTreesAreNotClaimed() throws IOException {
        assertEquals(Optional.empty(), builder.detect(dir));
        assertEquals(Optional.empty(), builder.detect(dir.resolve("nowhere")));

        Files.createDirectories(dir.resolve("composer.json"));
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/index.php"), "<?php");
        Files.writeString(dir.resolve("public.php"), "<?php");
        assertEquals(Optional.empty(), builder.detect(dir));

        Path other = Files.createDirectory(dir.resolve("other"));
        Files.createSymbolicLink(other.resolve("index.php"), Files.writeString(dir.resolve("elsewhere.php"), "<?php"));
        assertEquals(Optional.empty(), builder.detect(other), "a link out of the tree does not count");
    }

    @Test
    void documentRootIsPublicWhenItHasIndexPhp() throws IOException {
        Files.writeString(dir.resolve("composer.json"), "{}");
        assertEquals(new PhpProject(true, ".", false, Optional.empty()), PhpProject.of(dir));
        assertEquals(Optional.empty(), PhpProject.of(dir).webCommand("php"), "nothing to serve");

        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.php"), "<?php");
        assertEquals(new PhpProject(true, "public", true, Optional.empty()), PhpProject.of(dir));
        assertEquals(Optional.of("php -S 127.0.0.1:$PORT -t public .hop3/php-router.php"),
                PhpProject.of(dir).webCommand("php"));
    }

    @Test
    void routerScriptIsGivenToTheServer() throws IOException {
        Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("public/index.php"), "<?php");
        Files.writeString(dir.resolve("public/router.php"), "<?php");
        assertEquals(Optional.of("php -S 127.0.0.1:$PORT -t public public/router.php"),
                PhpProject.of(dir).webCommand("php"));

        Files.writeString(dir.resolve("router.php"), "<?php");
        assertEquals(Optional.of("'/opt/php 8/bin/php' -S 127.0.0.1:$PORT -t public router.php"),
                PhpProject.of(dir).webCommand("/opt/php 8/bin/php"));
    }
}
