package cloud.hop3.core.impl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cloud.hop3.core.impl.app.ReleaseDocument;
import cloud.hop3.core.impl.app.RuntimeDocument;

class ProcessEnvironmentTest {

    private static final Path APP_DIR = Path.of("/srv/hop3/apps/shop");
    private static final Path SLUG = APP_DIR.resolve("releases/7/slug");

    private static ReleaseDocument release(Map<String, String> runtimeEnv, List<String> path, Map<String, String> config) {
        RuntimeDocument runtime = new RuntimeDocument(Map.of("web", "./web", "worker", "./worker"), runtimeEnv, path,
                List.of(), null, null, List.of());
        return new ReleaseDocument(9, 7, "3f2a9c1", "python", "Set DEBUG", Instant.EPOCH, config,
                Map.of("web", 1, "worker", 1), runtime);
    }

    @Test
    void thePlatformGivesTheAppItsNameReleaseTypeAndDataDirectory() {
        Map<String, String> env = ProcessEnvironment.of("shop", release(Map.of(), List.of(), Map.of()), APP_DIR, SLUG,
                "web", 5000);

        assertEquals("shop", env.get("APP"));
        assertEquals("shop", env.get("HOP3_APP"));
        assertEquals("9", env.get("HOP3_RELEASE"));
        assertEquals("web", env.get("HOP3_PROCESS_TYPE"));
        assertEquals("/srv/hop3/apps/shop/data", env.get("DATA_DIR"));
        assertEquals("/srv/hop3/apps/shop/data", env.get("HOME"));
        assertEquals("C.UTF-8", env.get("LANG"));
        assertEquals("5000", env.get("PORT"));
        assertEquals(ProcessEnvironment.SYSTEM_PATH, env.get("PATH"));
    }

    @Test
    void theSlugsPathEntriesComeFirstInPath() {
        Map<String, String> env = ProcessEnvironment.of("shop", release(Map.of(), List.of("venv/bin", "./node_modules/.bin"),
                Map.of()), APP_DIR, SLUG, "web", 5000);

        assertEquals("/srv/hop3/apps/shop/releases/7/slug/venv/bin:/srv/hop3/apps/shop/releases/7/slug/node_modules/.bin:"
                + "/usr/local/bin:/usr/bin:/bin", env.get("PATH"));
    }

    @Test
    void theBuilderAndHop3TomlEnvOverrideThePlatformAndConfigVarsOverrideBoth() {
        Map<String, String> env = ProcessEnvironment.of("shop",
                release(Map.of("LANG", "en_GB.UTF-8", "VIRTUAL_ENV", "/venv", "WORKERS", "2", "DEBUG", "false"),
                        List.of(), Map.of("WORKERS", "8", "DATABASE_URL", "postgres://db/shop", "HOME", "/tmp/home")),
                APP_DIR, SLUG, "worker", 0);

        assertEquals("en_GB.UTF-8", env.get("LANG"), "runtime env over the platform's");
        assertEquals("/venv", env.get("VIRTUAL_ENV"));
        assertEquals("false", env.get("DEBUG"));
        assertEquals("8", env.get("WORKERS"), "config vars over the runtime env");
        assertEquals("postgres://db/shop", env.get("DATABASE_URL"));
        assertEquals("/tmp/home", env.get("HOME"), "config vars over the platform's");
        assertEquals("shop", env.get("APP"));
    }

    @Test
    void aConfigVarPortIsOverriddenForWebProcesses() {
        Map<String, String> env = ProcessEnvironment.of("shop", release(Map.of("PORT", "8000"), List.of(),
                Map.of("PORT", "80")), APP_DIR, SLUG, "web", 41234);

        assertEquals("41234", env.get("PORT"));
    }

    @Test
    void otherProcessesGetNoPortEvenIfTheAppSetsOne() {
        Map<String, String> env = ProcessEnvironment.of("shop", release(Map.of("PORT", "8000"), List.of(),
                Map.of("PORT", "80")), APP_DIR, SLUG, "worker", 0);

        assertFalse(env.containsKey("PORT"), env.toString());
        assertEquals("worker", env.get("HOP3_PROCESS_TYPE"));
    }
}
