package cloud.hop3.builder.php;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.build.Detection;
import cloud.hop3.plugin.testkit.BuilderTestCase;
import cloud.hop3.plugin.testkit.ComponentConfig;

class PhpProjectTest extends BuilderTestCase {

    final PhpBuilder builder = new PhpBuilder(ComponentConfig.of(PhpBuilder.Config.class), commands, Map.of());

    @Test
    void composerJsonMakesAPhpAppAboveNode() throws IOException {
        Files.writeString(source.resolve("composer.json"), "{}");
        Files.writeString(source.resolve("package.json"), "{}");

        assertEquals(Optional.of(new Detection(110, "found composer.json")), builder.detect(source));
        assertTrue(commands.runs.isEmpty(), "detection runs nothing");
    }

    @Test
    void indexPhpAloneMakesAPhpAppAboveStaticSites() throws IOException {
        Files.writeString(source.resolve("index.php"), "<?php echo 1;");
        assertEquals(Optional.of(new Detection(60, "found index.php")), builder.detect(source));

        Path other = Files.createDirectories(source.resolve("other/public"));
        Files.writeString(other.resolve("index.php"), "<?php echo 1;");
        Files.writeString(other.resolve("index.html"), "<h1>x</h1>");
        assertEquals(Optional.of(new Detection(60, "found public/index.php")), builder.detect(source.resolve("other")));
    }

    @Test
    void otherTreesAreNotClaimed() throws IOException {
        assertClaimsOnlyItsFiles(builder, Map.of("composer.json", "{}", "index.php", "<?php"),
                Map.of("src/index.php", "<?php", "public.php", "<?php"));
    }

    @Test
    void documentRootIsPublicWhenItHasIndexPhp() throws IOException {
        Files.writeString(source.resolve("composer.json"), "{}");
        assertEquals(new PhpProject(true, ".", false, Optional.empty()), PhpProject.of(source));
        assertEquals(Optional.empty(), PhpProject.of(source).webCommand("php"), "nothing to serve");

        Files.createDirectories(source.resolve("public"));
        Files.writeString(source.resolve("public/index.php"), "<?php");
        assertEquals(new PhpProject(true, "public", true, Optional.empty()), PhpProject.of(source));
        assertEquals(Optional.of("php -S 127.0.0.1:$PORT -t public .hop3/php-router.php"),
                PhpProject.of(source).webCommand("php"));
    }

    @Test
    void routerScriptIsGivenToTheServer() throws IOException {
        Files.createDirectories(source.resolve("public"));
        Files.writeString(source.resolve("public/index.php"), "<?php");
        Files.writeString(source.resolve("public/router.php"), "<?php");
        assertEquals(Optional.of("php -S 127.0.0.1:$PORT -t public public/router.php"),
                PhpProject.of(source).webCommand("php"));

        Files.writeString(source.resolve("router.php"), "<?php");
        assertEquals(Optional.of("'/opt/php 8/bin/php' -S 127.0.0.1:$PORT -t public router.php"),
                PhpProject.of(source).webCommand("/opt/php 8/bin/php"));
    }
}
