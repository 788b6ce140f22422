package cloud.hop3.builder.ruby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import cloud.hop3.api.build.BuildArtifact;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.Detection;
import cloud.hop3.plugin.testkit.BuilderTestCase;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.Programs;
import cloud.hop3.plugin.testkit.RecordingBuildLog;
import cloud.hop3.plugin.testkit.TestBuildCommands;
import cloud.hop3.plugin.testkit.WebProcess;

/**
 * Builds with the real ruby and Bundler of the machine and the gems of its Debian packages
 * (ruby-rack, ruby-sinatra, ruby-webrick), offline, and runs what they built.
 */
class RubyBuilderTest extends BuilderTestCase {

    static final String SINATRA_GEMFILE = "source \"https://rubygems.org\"\n\ngem \"sinatra\"\ngem \"webrick\"\n";
    static final String SINATRA_APP = """
            require "sinatra"
            set :logging, false
            get("/") { "hello from sinatra in #{ENV["RACK_ENV"]}" }
            run Sinatra::Application
            """;
    static final String RACK_APP = "run ->(env) { [200, {\"content-type\" => \"text/plain\"}, [\"plain rack\"]] }\n";

    final RubyBuilder builder = new RubyBuilder(ComponentConfig.of(RubyBuilder.Config.class), commands, System.getenv());

    @Test
    void isNamedRuby() {
        assertEquals("ruby", builder.name());
    }

    @Nested
    class Detect {

        @Test
        void gemfileOrConfigRuMakesARubyApp() throws IOException {
            Files.writeString(source.resolve("config.ru"), RACK_APP);
            assertEquals(Optional.of(new Detection(100, "found config.ru")), builder.detect(source));

            Files.writeString(source.resolve("Gemfile"), SINATRA_GEMFILE);
            assertClaims(builder, new Detection(100, "found Gemfile"), priority -> new RubyBuilder(
                    ComponentConfig.of(RubyBuilder.Config.class, "priority", priority), commands, Map.of()));
        }

        @Test
        void aProcfileWhoseWebProcessRunsRubyWithRubyFiles() throws IOException {
            Files.writeString(source.resolve("app.rb"), "puts 1\n");
            Files.writeString(source.resolve("Procfile"), "# the app\nworker: sleep 100\nweb: exec bundle exec ruby app.rb -p $PORT\n");
            assertEquals(Optional.of(new Detection(100, "found a Procfile whose web process runs Ruby")),
                    builder.detect(source));

            Files.writeString(source.resolve("Procfile"), "web: python app.py\n");
            assertEquals(Optional.empty(), builder.detect(source));

            Files.writeString(source.resolve("Procfile"), "web: ruby app.rb\n");
            Files.delete(source.resolve("app.rb"));
            assertEquals(Optional.empty(), builder.detect(source), "no .rb file at the top");
        }

        @Test
        void otherTreesAreNotClaimed() throws IOException {
            assertClaimsOnlyItsFiles(builder, Map.of("Gemfile", "", "config.ru", RACK_APP), Map.of("server.rb", "puts 1\n"));
        }
    }

    @Nested
    class Build {

        @BeforeEach
        void requireTools() {
            Programs.require("ruby");
            Programs.require("bundle");
        }

        @Test
        void sinatraAppInstallsFromTheServersGemsAndServesWithRackup() throws Exception {
            Files.writeString(slug.resolve("Gemfile"), SINATRA_GEMFILE);
            Files.writeString(slug.resolve("config.ru"), SINATRA_APP);

            BuildArtifact artifact = builder.build(request(Map.of()), log);

            assertEquals(List.of("Building with ruby"), log.steps);
            assertEquals(List.of(List.of(ruby(), "--version"), List.of(bundle(), "install", "--local", "--no-cache")),
                    commands());
            assertTrue(log.infos.stream().anyMatch(line -> line.startsWith("ruby 3.")), log.infos.toString());
            assertTrue(log.infos.stream().anyMatch(line -> line.startsWith("Using sinatra ")), log.infos.toString());
            assertTrue(log.infos.stream().anyMatch(line -> line.matches("Nothing installed: all [0-9]+ gems were already"
                    + " there \\(on the server, or kept for the app by earlier builds\\)")), log.infos.toString());
            assertTrue(Files.readString(slug.resolve("Gemfile.lock")).contains("    sinatra ("));
            assertEquals(Map.of("web", "bundle exec rackup -o 127.0.0.1 -p $PORT config.ru"), artifact.runtime().processes());
            assertEquals(Map.of("GEM_HOME", cache.resolve("gems").toString(), "GEM_PATH", cache.resolve("gems") + ":",
                    "BUNDLE_GEMFILE", slug.resolve("Gemfile").toString(),
                    "BUNDLE_USER_HOME", cache.resolve("bundler").toString(), "BUNDLE_WITHOUT", "development:test",
                    "RACK_ENV", "production", "RAILS_ENV", "production"), artifact.runtime().env());
            assertEquals(List.of(), artifact.runtime().path());
            assertTrue(log.warnings.isEmpty(), log.warnings.toString());

            try (WebProcess web = WebProcess.start(slug, artifact.runtime().processes().get("web"), artifact.runtime().env(), tmp)) {
                assertEquals("hello from sinatra in production", web.awaitBody("/", Duration.ofSeconds(60)));
            }
        }

        @Test
        void bundlerRunsWithTheAppsGemDirectoryAndNothingOfThePlatform() throws Exception {
            Files.writeString(slug.resolve("Gemfile"), SINATRA_GEMFILE);
            Files.writeString(slug.resolve("Gemfile.lock"), lockOf(SINATRA_GEMFILE));
            RubyBuilder withSecrets = new RubyBuilder(ComponentConfig.of(RubyBuilder.Config.class), commands,
                    Map.of("PATH", System.getenv("PATH"), "HOP3_SECRET", "no", "GEM_HOME", "/var/lib/gems/3.1.0",
                            "BUNDLE_PATH", "/elsewhere"));

            BuildArtifact artifact = withSecrets.build(request(Map.of("SECRET_KEY_BASE", "s3cret",
                    "BUNDLE_WITHOUT", "test", "BUNDLE_BUILD__PG", "--with-pg-config=/usr/bin/pg_config")), log);

            Map<String, String> env = commands.runs.get(1).env();
            assertEquals(cache.resolve("gems").toString(), env.get("GEM_HOME"));
            assertEquals(cache.resolve("gems") + ":", env.get("GEM_PATH"));
            assertEquals(slug.resolve("Gemfile").toString(), env.get("BUNDLE_GEMFILE"));
            assertEquals("true", env.get("BUNDLE_FROZEN"), "a committed Gemfile.lock is installed as it is");
            assertEquals("test", env.get("BUNDLE_WITHOUT"));
            assertEquals("--with-pg-config=/usr/bin/pg_config", env.get("BUNDLE_BUILD__PG"));
            assertFalse(env.containsKey("HOP3_SECRET"));
            assertFalse(env.containsKey("SECRET_KEY_BASE"));
            assertFalse(env.containsKey("BUNDLE_PATH"));
            assertFalse(artifact.runtime().env().containsKey("BUNDLE_WITHOUT"), "the app's config var applies");
            assertTrue(log.infos.contains("Bundler takes the gems of the Gemfile from this server and vendor/cache and puts"
                    + " what the server lacks into " + cache.resolve("gems") + "; exactly as Gemfile.lock says; without the"
                    + " groups test"), log.infos.toString());
        }

        @Test
        void aVendoredGemIsInstalledOnceAndKeptForTheNextDeploy() throws Exception {
            writeVendoredApp(slug);

            builder.build(request(Map.of()), log);

            assertTrue(log.infos.stream().anyMatch(line -> line.startsWith("Installing hop3greet 0.1.0")), log.infos.toString());
            assertTrue(log.infos.stream().anyMatch(line -> line.startsWith("Installed 1 gem into the app's gem directory,"
                    + " kept for the next builds; ")), log.infos.toString());
            assertTrue(Files.isDirectory(cache.resolve("gems/gems/hop3greet-0.1.0")));

            Path next = Files.createDirectory(tmp.resolve("slug2"));
            writeVendoredApp(next);
            RecordingBuildLog second = new RecordingBuildLog();
            BuildArtifact artifact = builder.build(
                    request(next, Map.of()), second);

            assertTrue(second.infos.stream().anyMatch(line -> line.startsWith("Using hop3greet 0.1.0")), second.infos.toString());
            assertTrue(second.infos.stream().noneMatch(line -> line.startsWith("Installing ")), second.infos.toString());
            assertTrue(second.infos.stream().anyMatch(line -> line.startsWith("Nothing installed: all ")), second.infos.toString());
            try (WebProcess web = WebProcess.start(next, artifact.runtime().processes().get("web"), artifact.runtime().env(), tmp)) {
                assertEquals("hi from a vendored gem", web.awaitBody("/", Duration.ofSeconds(60)));
            }
        }

        @Test
        void aGemThatIsNotOnTheServerIsNamed() throws IOException {
            Files.writeString(slug.resolve("Gemfile"), SINATRA_GEMFILE + "gem \"hop3-no-such-gem\", \"~> 9.9\"\n");

            BuildException e = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));

            assertTrue(e.getMessage().startsWith("The gem hop3-no-such-gem (~> 9.9) is not on this server. Gems come only"
                    + " from the server (Debian packages such as ruby-sinatra, or gem install by the operator) and from the"
                    + " app's vendor/cache"), e.getMessage());
            assertFalse(Files.exists(cache.resolve("gems/gems/hop3-no-such-gem-9.9.0")));
        }

        @Test
        void aLockedVersionThatIsNotOnTheServerIsNamed() throws IOException {
            Files.writeString(slug.resolve("Gemfile"), "source \"https://rubygems.org\"\ngem \"rack\"\n");
            Files.writeString(slug.resolve("Gemfile.lock"), """
                    GEM
                      remote: https://rubygems.org/
                      specs:
                        rack (9.9.9)

                    PLATFORMS
                      ruby

                    DEPENDENCIES
                      rack

                    BUNDLED WITH
                       2.3.15
                    """);

            BuildException e = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));

            assertTrue(e.getMessage().startsWith("The gem rack-9.9.9 is not on this server."), e.getMessage());
        }

        @Test
        void aGemfileLockThatDoesNotMatchTheGemfileSaysSo() throws Exception {
            Files.writeString(slug.resolve("Gemfile"), "source \"https://rubygems.org\"\ngem \"rack\"\n");
            Files.writeString(slug.resolve("Gemfile.lock"), lockOf("source \"https://rubygems.org\"\ngem \"rack\"\n"));
            Files.writeString(slug.resolve("Gemfile"), "source \"https://rubygems.org\"\ngem \"rack\"\ngem \"tilt\"\n");

            BuildException e = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));

            assertTrue(e.getMessage().startsWith("Gemfile.lock does not match the Gemfile: run bundle install (or bundle lock)"
                    + " where you develop, and commit Gemfile.lock."), e.getMessage());
            assertTrue(e.getMessage().contains("You have added to the Gemfile: * tilt"), e.getMessage());
        }

        @Test
        void configVarsThatMoveTheGemsAreRefused() throws IOException {
            Files.writeString(slug.resolve("Gemfile"), SINATRA_GEMFILE);

            BuildException e = assertThrows(BuildException.class,
                    () -> builder.build(request(Map.of("BUNDLE_PATH", "vendor/bundle")), log));

            assertEquals("The app's config var BUNDLE_PATH would move its gems away from where Hop3 installs them; remove"
                    + " it (app:config-unset demo BUNDLE_PATH).", e.getMessage());
            assertTrue(commands.runs.isEmpty());
        }

        @Test
        void aCommittedBundleConfigIsLeftOut() throws Exception {
            Files.writeString(slug.resolve("Gemfile"), SINATRA_GEMFILE);
            Files.writeString(slug.resolve("config.ru"), SINATRA_APP);
            Files.createDirectories(slug.resolve(".bundle"));
            Files.writeString(slug.resolve(".bundle/config"), "---\nBUNDLE_PATH: \"/home/dev/gems\"\nBUNDLE_WITHOUT: \"production\"\n");

            builder.build(request(Map.of()), log);

            assertFalse(Files.exists(slug.resolve(".bundle/config")));
            assertEquals(List.of("The app's .bundle/config is left out: it holds the settings of another machine. Set"
                    + " BUNDLE_* config vars instead, and add .bundle/ to .gitignore."), log.warnings);
            assertFalse(Files.exists(Path.of("/home/dev/gems")));
        }

        @Test
        void withoutAGemfileARackAppUsesTheServersGems() throws Exception {
            Files.writeString(slug.resolve("config.ru"), RACK_APP);

            BuildArtifact artifact = builder.build(request(Map.of("RAILS_ENV", "staging")), log);

            assertEquals(List.of(List.of(ruby(), "--version")), commands());
            assertTrue(log.infos.contains("No Gemfile: the app uses the gems installed on this server as they are"));
            assertEquals(Map.of("web", "rackup -o 127.0.0.1 -p $PORT config.ru"), artifact.runtime().processes());
            assertEquals(Map.of("RACK_ENV", "production"), artifact.runtime().env(), "the app's RAILS_ENV applies");
            try (WebProcess web = WebProcess.start(slug, artifact.runtime().processes().get("web"), artifact.runtime().env(), tmp)) {
                assertEquals("plain rack", web.awaitBody("/", Duration.ofSeconds(60)));
            }
        }

        @Test
        void theProcfilesWebProcessWinsAndAnAppWithoutOneIsWarned() throws Exception {
            Files.writeString(slug.resolve("config.ru"), RACK_APP);
            Files.writeString(slug.resolve("app.rb"), "puts 1\n");
            Files.writeString(slug.resolve("Procfile"), "web: ruby app.rb\n");

            assertEquals(Map.of(), builder.build(request(Map.of()), log).runtime().processes());
            assertTrue(log.infos.contains("The Procfile's web process runs the app: ruby app.rb"), log.infos.toString());

            Path bare = Files.createDirectory(tmp.resolve("bare"));
            Files.writeString(bare.resolve("Gemfile"), "source \"https://rubygems.org\"\ngem \"rack\"\n");
            RecordingBuildLog bareLog = new RecordingBuildLog();
            assertEquals(Map.of(), builder.build(request(bare, Map.of()), bareLog).runtime().processes());
            assertEquals(List.of("No web process: add one to the Procfile, such as web: bundle exec ruby app.rb, listening"
                    + " on 127.0.0.1:$PORT (or add a config.ru, which runs with rackup)."), bareLog.warnings);
        }

        @Test
        void aRackAppWithoutAWebServerGemIsWarned() throws Exception {
            Files.writeString(slug.resolve("Gemfile"), "source \"https://rubygems.org\"\ngem \"sinatra\"\n");
            Files.writeString(slug.resolve("config.ru"), SINATRA_APP);

            builder.build(request(Map.of()), log);

            assertEquals(List.of("Gemfile.lock has no web server that rackup can run the app with (falcon, puma, thin,"
                    + " webrick): add one to the Gemfile, such as gem \"puma\" or gem \"webrick\"."), log.warnings);
        }

        @Test
        void withoutRubyOrBundlerTheBuildSaysHowToInstallThem() throws IOException {
            Files.writeString(slug.resolve("Gemfile"), SINATRA_GEMFILE);

            BuildException noRuby = assertThrows(BuildException.class, () -> new RubyBuilder(
                    ComponentConfig.of(RubyBuilder.Config.class, "ruby", "/opt/noruby/bin/ruby"), commands, System.getenv()).build(request(Map.of()), log));
            assertTrue(noRuby.getMessage().startsWith("Ruby is not installed on this server: there is no /opt/noruby/bin/ruby"
                    + " on the search path (/opt/noruby/bin:"), noRuby.getMessage());
            assertTrue(noRuby.getMessage().endsWith("Install it (Debian: apt-get install ruby), or set the ruby command of"
                    + " the ruby builder (configuration cloud.hop3.builder.ruby)."), noRuby.getMessage());
            assertTrue(commands.runs.isEmpty());

            BuildException noBundler = assertThrows(BuildException.class, () -> new RubyBuilder(
                    ComponentConfig.of(RubyBuilder.Config.class, "bundle", "/opt/nobundler/bundle"), commands, System.getenv()).build(request(Map.of()), log));
            assertTrue(noBundler.getMessage().startsWith("Bundler is not installed on this server: there is no"
                    + " /opt/nobundler/bundle on the search path"), noBundler.getMessage());
            assertTrue(noBundler.getMessage().contains("Install it (Debian: apt-get install ruby-bundler)"), noBundler.getMessage());
            assertEquals(List.of(List.of(ruby(), "--version")), commands());
        }
    }

    /** An app whose one gem is not on the server: built here with gem build, committed in vendor/cache. */
    void writeVendoredApp(Path dir) throws Exception {
        Path gemSource = tmp.resolve("hop3greet");
        Path gem = gemSource.resolve("hop3greet-0.1.0.gem");
        if (!Files.exists(gem)) {
            Files.createDirectories(gemSource.resolve("lib"));
            Files.writeString(gemSource.resolve("hop3greet.gemspec"), """
                    Gem::Specification.new do |s|
                      s.name = "hop3greet"
                      s.version = "0.1.0"
                      s.summary = "Greets"
                      s.authors = ["Hop3"]
                      s.files = ["lib/hop3greet.rb"]
                    end
                    """);
            Files.writeString(gemSource.resolve("lib/hop3greet.rb"),
                    "module Hop3Greet\n  def self.hi\n    \"hi from a vendored gem\"\n  end\nend\n");
            new TestBuildCommands().run(new RecordingBuildLog(), gemSource, Map.of("PATH", "/usr/bin:/bin",
                    "HOME", tmp.toString()), Duration.ofMinutes(1), List.of("gem", "build", "hop3greet.gemspec"));
        }
        Files.createDirectories(dir.resolve("vendor/cache"));
        Files.copy(gem, dir.resolve("vendor/cache/hop3greet-0.1.0.gem"));
        Files.writeString(dir.resolve("Gemfile"), "source \"https://rubygems.org\"\ngem \"hop3greet\"\ngem \"rack\"\n"
                + "gem \"webrick\"\n");
        Files.writeString(dir.resolve("config.ru"),
                "require \"hop3greet\"\nrun ->(env) { [200, {}, [Hop3Greet.hi]] }\n");
    }

    /** The Gemfile.lock that Bundler makes of {@code gemfile} from the server's gems, as an app commits it. */
    String lockOf(String gemfile) throws Exception {
        Path scratch = Files.createTempDirectory(tmp, "lock");
        Files.writeString(scratch.resolve("Gemfile"), gemfile);
        new TestBuildCommands().run(new RecordingBuildLog(), scratch, Map.of("PATH", "/usr/bin:/bin",
                        "HOME", tmp.toString(), "BUNDLE_GEMFILE", scratch.resolve("Gemfile").toString(),
                        "BUNDLE_USER_HOME", scratch.resolve("bundler").toString(), "BUNDLE_SILENCE_ROOT_WARNING", "true"),
                Duration.ofMinutes(1), List.of("bundle", "lock", "--local"));
        return Files.readString(scratch.resolve("Gemfile.lock"));
    }

    String ruby() {
        return Programs.require("ruby").toString();
    }

    String bundle() {
        return Programs.require("bundle").toString();
    }
}
