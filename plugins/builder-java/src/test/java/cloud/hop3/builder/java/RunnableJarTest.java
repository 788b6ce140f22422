package cloud.hop3.builder.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.build.BuildException;

class RunnableJarTest {

    @TempDir
    Path slug;

    @Test
    void theOneJarWithAMainClassRuns() throws Exception {
        Jars.runnable(slug.resolve("target/shop-1.0.jar"), "shop.Main");
        Jars.runnable(slug.resolve("target/shop-1.0-sources.jar"), "shop.Main");
        Jars.runnable(slug.resolve("target/shop-1.0-javadoc.jar"), "shop.Main");
        Jars.runnable(slug.resolve("target/shop-1.0-tests.jar"), "shop.Main");
        Jars.runnable(slug.resolve("target/original-shop-1.0.jar"), "shop.Main");
        Files.writeString(slug.resolve("target/shop-1.0.jar.original"), "spring boot keeps this");

        assertEquals(new RunnableJar("target/shop-1.0.jar", "shop.Main", false),
                RunnableJar.find(slug, "target", "Maven"));
    }

    @Test
    void aJarWithoutMainClassIsLeftOutWhenAnotherRuns() throws Exception {
        Jars.write(slug.resolve("target/lib.jar"), Map.of("Created-By", "test"));
        Jars.write(slug.resolve("target/empty.jar"), Map.of());
        Files.writeString(slug.resolve("target/broken.jar"), "not a zip");
        Jars.runnable(slug.resolve("target/app.jar"), "demo.App");

        assertEquals("target/app.jar", RunnableJar.find(slug, "target", "Maven").path());
    }

    @Test
    void springBootJarIsFoundWithItsStartClass() throws Exception {
        Jars.write(slug.resolve("build/libs/shop-0.1.jar"), Map.of("Main-Class",
                "org.springframework.boot.loader.launch.JarLauncher", "Start-Class", "shop.ShopApplication",
                "Spring-Boot-Version", "3.3.0"));
        Jars.write(slug.resolve("build/libs/shop-0.1-plain.jar"), Map.of("Created-By", "Gradle"));

        assertEquals(new RunnableJar("build/libs/shop-0.1.jar", "shop.ShopApplication", true),
                RunnableJar.find(slug, "build/libs", "Gradle"));
    }

    @Test
    void aSingleFatJarWinsOverThinOnes() throws Exception {
        Jars.runnable(slug.resolve("target/app-1.0.jar"), "demo.App");
        Jars.runnable(slug.resolve("target/app-1.0-jar-with-dependencies.jar"), "demo.App");

        assertEquals("target/app-1.0-jar-with-dependencies.jar", RunnableJar.find(slug, "target", "Maven").path());
    }

    @Test
    void severalRunnableJarsAreAmbiguous() throws Exception {
        Jars.runnable(slug.resolve("target/a.jar"), "demo.A");
        Jars.runnable(slug.resolve("target/b.jar"), "demo.B");

        BuildException e = assertThrows(BuildException.class, () -> RunnableJar.find(slug, "target", "Maven"));

        assertEquals("Several jars in target/ can run: target/a.jar, target/b.jar. Say which one in the Procfile:"
                + " web: java $JAVA_OPTS -jar target/a.jar", e.getMessage());
    }

    @Test
    void noMainClassSaysHowToNameOne() throws Exception {
        Jars.write(slug.resolve("target/app-1.0.jar"), Map.of("Created-By", "Maven"));

        BuildException e = assertThrows(BuildException.class, () -> RunnableJar.find(slug, "target", "Maven"));

        assertTrue(e.getMessage().startsWith("No jar in target/ says which class to run (no Main-Class in its manifest):"
                + " app-1.0.jar. Name the main class in the jar's manifest (maven-jar-plugin:"), e.getMessage());
    }

    @Test
    void noJarAtAllSaysWhatRunsInstead() throws IOException {
        BuildException e = assertThrows(BuildException.class, () -> RunnableJar.find(slug, "target", "Maven"));
        assertTrue(e.getMessage().startsWith("Maven built no jar in target/"), e.getMessage());

        Files.createDirectories(slug.resolve("target"));
        Files.writeString(slug.resolve("target/app.war"), "");
        e = assertThrows(BuildException.class, () -> RunnableJar.find(slug, "target", "Maven"));
        assertTrue(e.getMessage().contains("Procfile"), e.getMessage());
    }
}
