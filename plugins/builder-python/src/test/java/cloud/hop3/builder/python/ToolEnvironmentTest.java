package cloud.hop3.builder.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import cloud.hop3.plugin.support.build.BuildEnvironment;

class ToolEnvironmentTest {

    private static final Map<String, String> PLATFORM = Map.of("PATH", "/opt/bin:/usr/bin", "HOME", "/home/hop3",
            "LANG", "C.UTF-8", "HTTPS_PROXY", "http://proxy:3128", "PIP_FIND_LINKS", "/opt/wheels",
            "JAVA_HOME", "/usr/lib/jvm/17", "HOP3_SECRET", "s3cret");

    @Test
    void takesLittleFromThePlatformAndOnlyIndexSettingsFromTheApp() {
        Map<String, String> configVars = Map.of("PIP_INDEX_URL", "https://pypi.example/simple", "PIP_RETRIES", "1",
                "PIP_TARGET", "/tmp/elsewhere", "DATABASE_URL", "postgres://secret");

        Map<String, String> env = ToolEnvironment.of(PLATFORM, "", configVars, "", Path.of("/cache"));

        Map<String, String> expected = new TreeMap<>(Map.of("PATH", "/opt/bin:/usr/bin", "HOME", "/home/hop3",
                "LANG", "C.UTF-8", "HTTPS_PROXY", "http://proxy:3128", "PIP_INDEX_URL", "https://pypi.example/simple",
                "PIP_RETRIES", "1", "PIP_CONFIG_FILE", "/dev/null", "PIP_CACHE_DIR", "/cache/pip", "PIP_NO_INPUT", "1",
                "PIP_PROGRESS_BAR", "off"));
        expected.put("PYTHONUNBUFFERED", "1");
        assertEquals(expected, env);
    }

    @Test
    void configuredSearchPathAndIndexAreDefaults() {
        Map<String, String> env = ToolEnvironment.of(PLATFORM, "/srv/python/bin:/usr/bin", Map.of(),
                "https://mirror.example/simple", Path.of("/cache"));
        assertEquals("/srv/python/bin:/usr/bin", env.get("PATH"));
        assertEquals("https://mirror.example/simple", env.get("PIP_INDEX_URL"));

        Map<String, String> app = ToolEnvironment.of(Map.of(), "", Map.of("PIP_INDEX_URL", "https://app.example/simple"),
                "https://mirror.example/simple", Path.of("/cache"));
        assertEquals("https://app.example/simple", app.get("PIP_INDEX_URL"));
        assertEquals(BuildEnvironment.DEFAULT_PATH, app.get("PATH"));
    }
}
