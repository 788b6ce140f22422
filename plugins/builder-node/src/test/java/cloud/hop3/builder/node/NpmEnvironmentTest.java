package cloud.hop3.builder.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import cloud.hop3.plugin.support.build.BuildEnvironment;

class NpmEnvironmentTest {

    private static final Map<String, String> PLATFORM = Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/hop3",
            "NODE_EXTRA_CA_CERTS", "/etc/ssl/certs/ca-certificates.crt", "NPM_CONFIG_REGISTRY", "https://platform/",
            "NODE_OPTIONS", "--inspect", "HOP3_SECRET", "s3cret");

    @Test
    void takesLittleFromThePlatformAndOnlyRegistrySettingsFromTheApp() {
        Map<String, String> configVars = Map.of("NPM_CONFIG_REGISTRY", "https://npm.example/", "NODE_ENV", "production",
                "DATABASE_URL", "postgres://secret", "NPM_CONFIG_PREFIX", "/tmp/elsewhere");

        Map<String, String> env = NpmEnvironment.of(PLATFORM, "", "npm", configVars, "", Path.of("/cache"));

        Map<String, String> expected = new TreeMap<>(Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/hop3",
                "NODE_EXTRA_CA_CERTS", "/etc/ssl/certs/ca-certificates.crt", "NPM_CONFIG_REGISTRY", "https://npm.example/",
                "NPM_CONFIG_USERCONFIG", "/dev/null", "NPM_CONFIG_GLOBALCONFIG", "/nonexistent/npmrc",
                "NPM_CONFIG_CACHE", "/cache/npm", "NPM_CONFIG_UPDATE_NOTIFIER", "false", "NPM_CONFIG_AUDIT", "false",
                "NPM_CONFIG_FUND", "false"));
        expected.put("NPM_CONFIG_PROGRESS", "false");
        assertEquals(expected, env);
    }

    @Test
    void configuredNpmSearchPathAndRegistryAreDefaults() {
        Map<String, String> env = NpmEnvironment.of(PLATFORM, "/srv/bin:/usr/bin", "/opt/node-22/bin/npm", Map.of(),
                "https://mirror.example/npm/", Path.of("/cache"));

        assertEquals("/opt/node-22/bin:/srv/bin:/usr/bin", env.get("PATH"));
        assertEquals("https://mirror.example/npm/", env.get("NPM_CONFIG_REGISTRY"));
        assertEquals(BuildEnvironment.DEFAULT_PATH, NpmEnvironment.of(Map.of(), "", "npm", Map.of(), "", Path.of("/c"))
                .get("PATH"));
    }
}
