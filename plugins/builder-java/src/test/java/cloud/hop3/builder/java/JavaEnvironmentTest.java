package cloud.hop3.builder.java;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JavaEnvironmentTest {

    final JavaHome jdk = new JavaHome(Path.of("/usr/lib/jvm/java-17"), "test");
    final Path cache = Path.of("/srv/hop3/apps/shop/cache/java");

    @Test
    void builtFromScratchWithTheJdkFirstAndTheCachesOfTheApp() {
        Map<String, String> platform = Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/hop3", "LANG", "C.UTF-8",
                "https_proxy", "http://proxy:3128", "HOP3_HOME", "/srv/hop3", "JAVA_TOOL_OPTIONS", "-Xmx8g",
                "MAVEN_OPTS", "-Dplatform=1");

        Map<String, String> env = JavaEnvironment.of(platform, "", jdk, "", Map.of(), cache);

        assertEquals(Map.of("PATH", "/usr/lib/jvm/java-17/bin:/usr/bin:/bin", "JAVA_HOME", "/usr/lib/jvm/java-17",
                "HOME", "/home/hop3", "LANG", "C.UTF-8", "https_proxy", "http://proxy:3128",
                "MAVEN_USER_HOME", "/srv/hop3/apps/shop/cache/java/maven",
                "GRADLE_USER_HOME", "/srv/hop3/apps/shop/cache/java/gradle"), env);
    }

    @Test
    void appsBuildToolOptionsComeFromItsConfigVarsAndNothingElse() {
        Map<String, String> env = JavaEnvironment.of(Map.of(), "/opt/bin", jdk, "-XX:TieredStopAtLevel=1",
                Map.of("MAVEN_OPTS", "-Xmx512m", "GRADLE_OPTS", "-Xmx1g", "DATABASE_URL", "postgres://x", "JAVA_OPTS",
                        "-Xmx256m", "PATH", "/evil"), cache);

        assertEquals("-Xmx512m", env.get("MAVEN_OPTS"));
        assertEquals("-Xmx1g", env.get("GRADLE_OPTS"));
        assertEquals("/usr/lib/jvm/java-17/bin:/opt/bin", env.get("PATH"));
        assertEquals(null, env.get("DATABASE_URL"));
        assertEquals(null, env.get("JAVA_OPTS"), "JAVA_OPTS is for the app's processes, not for Maven");
    }

    @Test
    void configuredMavenOptsServeAppsThatSetNone() {
        Map<String, String> env = JavaEnvironment.of(Map.of(), "", jdk, " -XX:TieredStopAtLevel=1 ", Map.of(), cache);

        assertEquals("-XX:TieredStopAtLevel=1", env.get("MAVEN_OPTS"));
    }
}
