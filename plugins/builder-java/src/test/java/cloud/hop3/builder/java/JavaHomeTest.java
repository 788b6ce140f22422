package cloud.hop3.builder.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.build.BuildException;
import cloud.hop3.plugin.testkit.TestFiles;

class JavaHomeTest {

    @TempDir
    Path tmp;

    /** A directory that looks like a JDK: bin/java, bin/javac, a release file. */
    Path jdk(String name, boolean compiler) throws IOException {
        Path home = Files.createDirectories(tmp.resolve(name));
        TestFiles.executable(home.resolve("bin/java"), "#!/bin/sh\n");
        if (compiler) {
            TestFiles.executable(home.resolve("bin/javac"), "#!/bin/sh\n");
        }
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"17.0.99\"\n");
        return home;
    }

    @Test
    void configuredHomeComesFirst() throws Exception {
        Path configured = jdk("configured", true);
        Path platform = jdk("platform", true);

        JavaHome java = JavaHome.locate(configured.toString(), Map.of("JAVA_HOME", platform.toString()), "");

        assertEquals(configured.toRealPath(), java.home());
        assertEquals("the builder's configuration (javaHome)", java.chosenBy());
        assertEquals(Optional.of("17.0.99"), java.version());
    }

    @Test
    void platformsJavaHomeComesNext() throws Exception {
        Path platform = jdk("platform", true);

        JavaHome java = JavaHome.locate(" ", Map.of("JAVA_HOME", platform.toString()), "/nowhere");

        assertEquals(platform.toRealPath(), java.home());
        assertEquals("the JAVA_HOME of the Hop3 process", java.chosenBy());
    }

    @Test
    void javaOnThePathIsFollowedToItsJdk() throws Exception {
        Path home = jdk("jvm/java-17", true);
        Path bin = Files.createDirectories(tmp.resolve("usr/bin"));
        Files.createSymbolicLink(bin.resolve("java"), home.resolve("bin/java"));

        JavaHome java = JavaHome.locate("", Map.of(), "/nowhere:" + bin);

        assertEquals(home.toRealPath(), java.home());
        assertEquals("the java on the PATH (" + bin.resolve("java") + ")", java.chosenBy());
        java.requireCompiler();
    }

    @Test
    void noJavaAnywhereSaysWhatToInstall() {
        BuildException e = assertThrows(BuildException.class, () -> JavaHome.locate("", Map.of(), "/nowhere"));

        assertEquals("No Java on this server: java is not on the PATH (/nowhere) and the Hop3 process has no JAVA_HOME."
                + " Install a JDK (Debian: apt-get install openjdk-17-jdk-headless) or set javaHome in"
                + " etc/cloud.hop3.builder.java.cfg.", e.getMessage());
    }

    @Test
    void aHomeWithoutJavaIsRefused() {
        BuildException e = assertThrows(BuildException.class,
                () -> JavaHome.locate("", Map.of("JAVA_HOME", tmp.toString()), ""));

        assertTrue(e.getMessage().startsWith("The Java home " + tmp + ", from the JAVA_HOME of the Hop3 process, has no"
                + " bin/java"), e.getMessage());
        assertThrows(BuildException.class, () -> JavaHome.locate("relative/jdk", Map.of(), ""));
    }

    @Test
    void aRuntimeWithoutCompilerCannotBuild() throws Exception {
        JavaHome jre = JavaHome.locate(jdk("jre", false).toString(), Map.of(), "");

        BuildException e = assertThrows(BuildException.class, jre::requireCompiler);

        assertTrue(e.getMessage().contains("is a runtime without a compiler (no bin/javac): install a JDK"), e.getMessage());
    }
}
