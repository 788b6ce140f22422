package cloud.hop3.builder.php;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class ComposerEnvironmentTest {

    final Path cache = Path.of("/srv/hop3/apps/shop/cache/php");

    @Test
    void builtFromScratchWithComposersHomeAndCacheInTheApps() {
        Map<String, String> platform = Map.of("PATH", "/usr/bin:/bin", "HOME", "/root", "LANG", "C.UTF-8",
                "COMPOSER_HOME", "/root/.composer", "HOP3_HOME", "/srv/hop3", "https_proxy", "http://proxy:3128");

        Map<String, String> env = ComposerEnvironment.of(platform, "", Map.of("DATABASE_URL", "postgres://x",
                "COMPOSER_AUTH", "{\"github-oauth\": {\"github.com\": \"t\"}}"), cache);

        Map<String, String> expected = new TreeMap<>(Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8",
                "https_proxy", "http://proxy:3128", "HOME", "/srv/hop3/apps/shop/cache/php/composer/home",
                "COMPOSER_HOME", "/srv/hop3/apps/shop/cache/php/composer/home",
                "COMPOSER_CACHE_DIR", "/srv/hop3/apps/shop/cache/php/composer/cache",
                "COMPOSER_NO_INTERACTION", "1", "COLUMNS", "1000",
                "COMPOSER_AUTH", "{\"github-oauth\": {\"github.com\": \"t\"}}"));
        assertEquals(expected, env);
    }

    @Test
    void searchPathIsConfiguredOrThePlatformsOrTheDefault() {
        assertEquals("/opt/php/bin", ComposerEnvironment.of(Map.of("PATH", "/usr/bin"), " /opt/php/bin ", Map.of(), cache)
                .get("PATH"));
        assertEquals("/usr/local/bin:/usr/bin:/bin", ComposerEnvironment.of(Map.of(), "", Map.of(), cache).get("PATH"));
    }
}
