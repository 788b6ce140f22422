package cloud.hop3.builder.go;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import cloud.hop3.plugin.support.build.BuildEnvironment;

class GoEnvironmentTest {

    static final Path CACHE = Path.of("/srv/hop3/apps/shop/cache/go");

    @TempDir
    Path tmp;

    @Test
    void builtFromScratchWithTheAppsCaches() {
        Map<String, String> env = GoEnvironment.of(Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/hop3",
                        "LANG", "C.UTF-8", "GOROOT", "/elsewhere", "GOFLAGS", "-race", "JAVA_HOME", "/jdk"),
                "", "go", Map.of("SECRET_KEY", "s3cret"), "off", CACHE, false);

        assertEquals(Map.ofEntries(Map.entry("PATH", "/usr/bin:/bin"), Map.entry("HOME", "/home/hop3"),
                Map.entry("LANG", "C.UTF-8"), Map.entry("GOPROXY", "off"), Map.entry("GOFLAGS", "-mod=mod"),
                Map.entry("GOENV", "off"), Map.entry("GOTOOLCHAIN", "local"), Map.entry("GO111MODULE", "on"),
                Map.entry("GOCACHE", CACHE + "/build"), Map.entry("GOMODCACHE", CACHE + "/mod"),
                Map.entry("GOPATH", CACHE + "/gopath")), env);
    }

    @Test
    void theAppsModuleSettingsWinAndBlankOnesDoNot() {
        Map<String, String> env = GoEnvironment.of(Map.of("PATH", "/usr/bin"), "", "go",
                Map.of("GOPROXY", "https://proxy.example.org", "GOFLAGS", "-tags=prod", "GOPRIVATE", "example.org/*",
                        "CGO_ENABLED", "0", "GOSUMDB", " "),
                "https://mirror.example.org", CACHE, false);

        assertEquals("https://proxy.example.org", env.get("GOPROXY"));
        assertEquals("-tags=prod", env.get("GOFLAGS"));
        assertEquals("example.org/*", env.get("GOPRIVATE"));
        assertEquals("0", env.get("CGO_ENABLED"));
        assertFalse(env.containsKey("GOSUMDB"));
    }

    @Test
    void vendoredAppsKeepGosDefaultModMode() {
        assertFalse(GoEnvironment.of(Map.of(), "", "go", Map.of(), "off", CACHE, true).containsKey("GOFLAGS"));
    }

    @Test
    void searchPathIsConfiguredOrThePlatformsAndAnAbsoluteGoGoesFirst() {
        assertEquals("/opt/go/bin:/usr/bin", GoEnvironment.of(Map.of("PATH", "/usr/bin"), "", "/opt/go/bin/go",
                Map.of(), "off", CACHE, false).get("PATH"));
        assertEquals("/tools", GoEnvironment.of(Map.of("PATH", "/usr/bin"), " /tools ", "go", Map.of(), "off", CACHE,
                false).get("PATH"));
        assertEquals(BuildEnvironment.DEFAULT_PATH, GoEnvironment.of(Map.of(), "", "go", Map.of(), "", CACHE, false).get("PATH"));
        assertFalse(GoEnvironment.of(Map.of(), "", "go", Map.of(), "", CACHE, false).containsKey("GOPROXY"));
    }
}
