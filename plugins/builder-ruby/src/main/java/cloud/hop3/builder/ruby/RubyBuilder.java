package cloud.hop3.builder.ruby;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import cloud.hop3.api.build.BuildCommands;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.build.BuildRequest;
import cloud.hop3.api.build.Builder;
import cloud.hop3.plugin.support.build.BuildEnvironment;
import cloud.hop3.plugin.support.build.Deadline;
import cloud.hop3.plugin.support.build.ToolBuilder;

/**
 * Builds Ruby apps with the server's Ruby. With a Gemfile, {@code bundle install --local} installs
 * what the server lacks from the app's vendor/cache into the app's gem directory, kept between
 * builds, so that a second deploy installs nothing (see {@link RubyEnvironment} for where gems go
 * and the environment Bundler runs with). Without a Gemfile the app uses the server's gems as they
 * are. The app runs in the production environment ({@code RACK_ENV}, {@code RAILS_ENV}); the
 * Procfile's web line says what runs, else an app with config.ru runs with {@code rackup} on
 * {@code 127.0.0.1:$PORT} (through {@code bundle exec} with a Gemfile).
 */
@Component(service = Builder.class, property = Builder.NAME_PROPERTY + "=" + RubyBuilder.NAME,
        configurationPid = RubyBuilder.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RubyBuilder.Config.class)
public class RubyBuilder extends ToolBuilder<RubyBuilder.Config> {

    static final String NAME = "ruby";
    static final String PID = "cloud.hop3.builder.ruby";

    @ObjectClassDefinition(id = PID, name = "Hop3 Ruby builder",
            description = "Builds Ruby apps: the gems of the Gemfile installed by Bundler from those on the server and in"
                    + " the app's vendor/cache, kept between builds.")
    public @interface Config {

        @AttributeDefinition(name = "Priority",
                description = "Detection priority, a plain number, of an app with a Gemfile or config.ru, or a Procfile"
                        + " whose web process runs Ruby. The builder with the highest priority builds the app; generic"
                        + " fall-backs use 10.")
        int priority() default 100;

        @AttributeDefinition(name = "ruby",
                description = "The ruby command: a name looked up on the search path, or an absolute path, whose"
                        + " directory then goes first on the search path.")
        String ruby() default "ruby";

        @AttributeDefinition(name = "bundle",
                description = "Bundler's bundle command: a name looked up on the search path, or an absolute path.")
        String bundle() default "bundle";

        @AttributeDefinition(name = "Search path",
                description = "Directories, separated by colons, where ruby, bundle and the programs they start (the C"
                        + " compiler of native extensions) are looked up. Empty means the PATH of the Hop3 process.")
        String path() default "";

        @AttributeDefinition(name = "Install timeout", min = "1",
                description = "Longest time, in minutes, that bundle install may take; after that it is stopped and the"
                        + " build fails. The build's own time limit applies when it is shorter.")
        int installTimeoutMinutes() default 15;

        @AttributeDefinition(name = "Download gems",
                description = "Whether Bundler may download gems from the sources of the Gemfile (rubygems.org, or a"
                        + " mirror). When false (the default), bundle install runs with --local: only the gems on the"
                        + " server and in the app's vendor/cache are installed.")
        boolean downloadGems() default false;
    }

    @Activate
    public RubyBuilder(Config config, @Reference BuildCommands commands) {
        this(config, commands, System.getenv());
    }

    RubyBuilder(Config config, BuildCommands commands, Map<String, String> platform) {
        super(NAME, PID, config, commands, platform, Detector.of(RubyProject::detect, Config::priority));
    }

    @Override
    protected Built build(BuildRequest request, Path slug, Path cache, Deadline deadline, BuildLog log)
            throws BuildException, InterruptedException {
        boolean gemfile = Files.isRegularFile(slug.resolve(RubyProject.GEMFILE));
        for (String name : RubyEnvironment.MANAGED) {
            if (gemfile && request.env().containsKey(name)) {
                throw new BuildException("The app's config var " + name + " would move its gems away from where Hop3"
                        + " installs them; remove it (app:config-unset " + request.app() + " " + name + ").");
            }
        }
        String path = BuildEnvironment.searchPath(platform, config.path(), config.ruby(), config.bundle());
        Path ruby = require("Ruby", "ruby", config.ruby(), path, "ruby");
        Map<String, String> env = RubyEnvironment.bundler(platform, path, request.env(), slug, cache);
        probe(log, slug, env, deadline, ruby.toString(), "--version");
        Optional<String> web;
        try {
            removeBundleConfig(slug, log);
            web = RubyProject.webCommand(slug);
        } catch (IOException e) {
            throw unreadable(e);
        }
        if (gemfile) {
            install(slug, env, path, deadline, log);
        } else {
            log.info("No Gemfile: the app uses the gems installed on this server as they are");
        }
        Map<String, String> processes = defaultProcesses(slug, gemfile, web, log);
        return new Built(processes, RubyEnvironment.runtime(gemfile, request.env(), slug, cache), List.of(),
                "Ruby app" + (gemfile ? " with its Gemfile" : ""));
    }

    private void install(Path slug, Map<String, String> env, String path, Deadline deadline, BuildLog log)
            throws BuildException, InterruptedException {
        Path bundle = require("Bundler", "bundle", config.bundle(), path, "ruby-bundler");
        List<String> command = new ArrayList<>(List.of(bundle.toString(), "install"));
        if (!config.downloadGems()) {
            command.add("--local");
        }
        command.add("--no-cache");
        log.info("Bundler takes the gems of the Gemfile from " + (config.downloadGems() ? "its sources"
                : "this server and vendor/cache") + " and puts what the server lacks into " + env.get("GEM_HOME")
                + (env.containsKey("BUNDLE_FROZEN") ? "; exactly as Gemfile.lock says" : "")
                + "; without the groups " + env.get("BUNDLE_WITHOUT"));
        InstalledGems gems = new InstalledGems(log);
        run(gems, slug, env, deadline, Duration.ofMinutes(config.installTimeoutMinutes()), command,
                e -> BundlerErrors.explain(e, config.downloadGems()));
        log.info(gems.summary());
    }

    /** The web process that the Procfile does not give: rackup for config.ru. */
    private Map<String, String> defaultProcesses(Path slug, boolean gemfile, Optional<String> web, BuildLog log)
            throws BuildException {
        if (web.isPresent()) {
            log.info("The Procfile's web process runs the app: " + web.get());
            return Map.of();
        }
        if (!Files.isRegularFile(slug.resolve(RubyProject.RACKUP_FILE))) {
            log.warn("No web process: add one to the Procfile, such as web: " + (gemfile ? "bundle exec " : "")
                    + "ruby app.rb, listening on 127.0.0.1:$PORT (or add a config.ru, which runs with rackup).");
            return Map.of();
        }
        String rackup = "rackup -o 127.0.0.1 -p $PORT " + RubyProject.RACKUP_FILE;
        if (gemfile) {
            rackup = (Path.of(config.bundle()).isAbsolute() ? config.bundle() : "bundle") + " exec " + rackup;
            try {
                if (!RubyProject.locksARackServer(slug)) {
                    log.warn("Gemfile.lock has no web server that rackup can run the app with (" + String.join(", ",
                            new TreeSet<>(RubyProject.RACK_SERVERS)) + "): add one to the Gemfile, such"
                            + " as gem \"puma\" or gem \"webrick\".");
                }
            } catch (IOException e) {
                throw new BuildException("Could not read Gemfile.lock: " + e.getMessage(), e);
            }
        }
        return defaultWeb(rackup, "", log);
    }

    /** A committed .bundle/config holds another machine's settings (its paths): Bundler would obey it. */
    private static void removeBundleConfig(Path slug, BuildLog log) throws IOException {
        Path bundleConfig = slug.resolve(".bundle/config");
        if (Files.isRegularFile(bundleConfig) || Files.isSymbolicLink(bundleConfig)) {
            Files.delete(bundleConfig);
            log.warn("The app's .bundle/config is left out: it holds the settings of another machine. Set BUNDLE_*"
                    + " config vars instead, and add .bundle/ to .gitignore.");
        }
    }
}
