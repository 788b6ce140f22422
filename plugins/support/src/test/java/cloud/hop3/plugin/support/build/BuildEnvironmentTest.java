package cloud.hop3.plugin.support.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildEnvironmentTest {

    @TempDir
    Path tmp;

    @Test
    void onlyTheNamedPlatformVariablesAndNonBlankConfigVarsAreTaken() {
        Map<String, String> env = BuildEnvironment.fromPlatform(
                Map.of("HOME", "/home/hop3", "AWS_SECRET_ACCESS_KEY", "s3cr3t"), List.of("HOME", "LANG"));
        BuildEnvironment.putFromApp(env, Map.of("PIP_INDEX_URL", "https://pypi.example/", "PIP_NO_INDEX", " ",
                "DATABASE_URL", "postgres://x"), List.of("PIP_INDEX_URL", "PIP_NO_INDEX"));

        assertEquals(Map.of("HOME", "/home/hop3", "PIP_INDEX_URL", "https://pypi.example/"), env);
    }

    @Test
    void searchPathIsConfiguredOrThePlatformsOrTheDefault() {
        assertEquals("/tools", BuildEnvironment.searchPath(Map.of("PATH", "/usr/bin"), " /tools ", "ruby", "bundle"));
        assertEquals("/a:/b", BuildEnvironment.searchPath(Map.of("PATH", "/a:/b"), ""));
        assertEquals(BuildEnvironment.DEFAULT_PATH, BuildEnvironment.searchPath(Map.of(), " "));
        assertEquals(BuildEnvironment.DEFAULT_PATH, BuildEnvironment.searchPath(Map.of("PATH", ""), ""));
    }

    @Test
    void theDirectoriesOfAbsoluteProgramsGoFirstOnce() {
        assertEquals("/opt/ruby/bin:/usr/bin", BuildEnvironment.searchPath(Map.of("PATH", "/usr/bin"), "",
                "/opt/ruby/bin/ruby", "/opt/ruby/bin/bundle"));
        assertEquals("/opt/node-22/bin:/srv/bin", BuildEnvironment.searchPath(Map.of(), "/srv/bin", "/opt/node-22/bin/npm"));
    }

    @Test
    void programsAreLocatedOnTheSearchPathWithoutRunningThem() throws IOException {
        Path first = Files.createDirectories(tmp.resolve("first"));
        Path second = Files.createDirectories(tmp.resolve("second"));
        Files.writeString(first.resolve("go"), "not executable");
        Files.createDirectories(first.resolve("ruby"));
        Path go = Files.writeString(second.resolve("go"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(go, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertEquals(Optional.of(go), BuildEnvironment.locate("go", first + "::" + second));
        assertEquals(Optional.of(go), BuildEnvironment.locate(go.toString(), ""));
        assertEquals(Optional.empty(), BuildEnvironment.locate("go", first.toString()));
        assertEquals(Optional.empty(), BuildEnvironment.locate(tmp.resolve("none").toString(), second.toString()));
        assertTrue(BuildEnvironment.locate("ruby", first.toString()).isEmpty(), "a directory is not a program");
        assertTrue(BuildEnvironment.locate("go", "bad\0dir:" + second).isPresent(), "a bad directory is skipped");
    }

    @Test
    void credentialsInUrlsAreNotLogged() {
        assertEquals("https://****@pypi.example/simple", BuildEnvironment.redacted("https://me:token@pypi.example/simple"));
        assertEquals("https://pypi.example/simple", BuildEnvironment.redacted("https://pypi.example/simple"));
        assertEquals("https://****@proxy.example.org,direct",
                BuildEnvironment.redacted("https://user:pw@proxy.example.org,direct"));
        assertEquals("https://****@a.example|https://****@b.example",
                BuildEnvironment.redacted("https://u:p@a.example|https://v:q@b.example"));
    }
}
