package cloud.hop3.builder.ruby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RubyEnvironmentTest {

    @TempDir
    Path slug;
    final Path cache = Path.of("/srv/hop3/apps/shop/cache/ruby");

    @Test
    void bundlerRunsFromScratchWithTheAppsGemDirectory() {
        Map<String, String> env = RubyEnvironment.bundler(Map.of("PATH", "/usr/bin", "HOME", "/home/hop3",
                "GEM_HOME", "/var/lib/gems", "RUBYOPT", "-rdebug", "BUNDLE_PATH", "/x"), "/usr/bin",
                Map.of("SECRET", "s", "BUNDLE_JOBS", "4", "BUNDLE_BUILD__NOKOGIRI", "--use-system-libraries",
                        "BUNDLE_PATH", "vendor/bundle", "BUNDLE_WITH", " "), slug, cache);

        assertEquals(Map.ofEntries(Map.entry("PATH", "/usr/bin"), Map.entry("HOME", "/home/hop3"),
                Map.entry("LANG", "C.UTF-8"), Map.entry("BUNDLE_WITHOUT", "development:test"),
                Map.entry("BUNDLE_JOBS", "4"), Map.entry("BUNDLE_BUILD__NOKOGIRI", "--use-system-libraries"),
                Map.entry("GEM_HOME", cache + "/gems"), Map.entry("GEM_PATH", cache + "/gems:"),
                Map.entry("BUNDLE_GEMFILE", slug + "/Gemfile"), Map.entry("BUNDLE_USER_HOME", cache + "/bundler"),
                Map.entry("BUNDLE_SILENCE_ROOT_WARNING", "true"), Map.entry("BUNDLE_DISABLE_VERSION_CHECK", "true"),
                Map.entry("BUNDLE_IGNORE_MESSAGES", "true")), env);
    }

    @Test
    void aLockfileFreezesTheBundleUnlessTheAppSaysOtherwise() throws IOException {
        Files.writeString(slug.resolve("Gemfile.lock"), "");
        assertEquals("true", RubyEnvironment.bundler(Map.of(), "/usr/bin", Map.of(), slug, cache).get("BUNDLE_FROZEN"));
        assertEquals("false", RubyEnvironment.bundler(Map.of(), "/usr/bin", Map.of("BUNDLE_FROZEN", "false"), slug, cache)
                .get("BUNDLE_FROZEN"));
    }

    @Test
    void processesGetTheGemsAndProductionUnlessTheAppSetsThem() {
        assertEquals(Map.of("RACK_ENV", "production", "RAILS_ENV", "production"),
                RubyEnvironment.runtime(false, Map.of(), slug, cache));
        Map<String, String> env = RubyEnvironment.runtime(true, Map.of("RACK_ENV", "staging", "BUNDLE_WITHOUT", "test"),
                slug, cache);
        assertEquals(cache + "/gems", env.get("GEM_HOME"));
        assertEquals(slug + "/Gemfile", env.get("BUNDLE_GEMFILE"));
        assertFalse(env.containsKey("RACK_ENV"));
        assertFalse(env.containsKey("BUNDLE_WITHOUT"));
        assertEquals("production", env.get("RAILS_ENV"));
    }
}
