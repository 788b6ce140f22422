package cloud.hop3.builder.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

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
import cloud.hop3.plugin.support.build.AppFiles;
import cloud.hop3.plugin.support.build.BuildEnvironment;
import cloud.hop3.plugin.support.build.Deadline;
import cloud.hop3.plugin.support.build.ToolBuilder;
import cloud.hop3.plugin.support.build.ToolFailure;

/**
 * Builds Node.js apps. npm installs the dependencies into the slug's {@code node_modules}:
 * {@code npm ci} when the app has a lockfile, {@code npm install} otherwise, with the app's own
 * npm cache and the registry of its config vars. Then the {@code build} script of package.json
 * runs, when there is one, with the app's config vars (front-end bundlers read them) and
 * {@code NODE_ENV=production} unless the app sets it. The app runs with
 * {@code node_modules/.bin} on its {@code PATH}; without a Procfile, its web process is
 * {@code npm start} (when package.json has a start script) or {@code node server.js}, as on
 * Heroku. npm runs through {@link BuildCommands}, in the environment {@link NpmEnvironment} describes.
 */
@Component(service = Builder.class, property = Builder.NAME_PROPERTY + "=" + NodeBuilder.NAME,
        configurationPid = NodeBuilder.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = NodeBuilder.Config.class)
public class NodeBuilder extends ToolBuilder<NodeBuilder.Config> {

    static final String NAME = "node";
    static final String PID = "cloud.hop3.builder.node";
    static final List<String> LOCKFILES = List.of("package-lock.json", "npm-shrinkwrap.json");
    static final String NODE_ENV = "NODE_ENV";

    @ObjectClassDefinition(id = PID, name = "Hop3 Node.js builder",
            description = "Builds Node.js apps: dependencies installed by npm, then the build script of package.json.")
    public @interface Config {

        @AttributeDefinition(name = "Priority",
                description = "Detection priority, a plain number, of an app that has package.json. The builder with"
                        + " the highest priority builds the app; generic fall-backs use 10.")
        int priority() default 100;

        @AttributeDefinition(name = "npm",
                description = "The npm command: a name looked up on the search path, or an absolute path, whose"
                        + " directory then goes first on the search path so that the node next to it is used.")
        String npm() default "npm";

        @AttributeDefinition(name = "Search path",
                description = "Directories, separated by colons, where npm, node and the programs that builds start"
                        + " are looked up. Empty means the PATH of the Hop3 process.")
        String path() default "";

        @AttributeDefinition(name = "Install timeout", min = "1",
                description = "Longest time, in minutes, that npm may take to install the dependencies; after that"
                        + " it is stopped and the build fails. The build's own time limit applies when it is shorter.")
        int installTimeoutMinutes() default 15;

        @AttributeDefinition(name = "Build script timeout", min = "1",
                description = "Longest time, in minutes, that the build script of package.json may take; after that"
                        + " it is stopped and the build fails. The build's own time limit applies when it is shorter.")
        int buildTimeoutMinutes() default 15;

        @AttributeDefinition(name = "Default registry",
                description = "npm registry for apps that set no NPM_CONFIG_REGISTRY config var, for example a mirror"
                        + " inside your network. Empty means npm's default (or the app's own .npmrc). npm's user and"
                        + " global configuration files on the server are not read.")
        String registry() default "";
    }

    @Activate
    public NodeBuilder(Config config, @Reference BuildCommands commands) {
        this(config, commands, System.getenv());
    }

    NodeBuilder(Config config, BuildCommands commands, Map<String, String> platform) {
        super(NAME, PID, config, commands, platform,
                Detector.of(source -> AppFiles.found(source, PackageJson.FILE_NAME), Config::priority));
    }

    @Override
    protected Built build(BuildRequest request, Path slug, Path cache, Deadline deadline, BuildLog log)
            throws BuildException, InterruptedException {
        PackageJson packageJson = PackageJson.read(slug);
        Map<String, String> env = NpmEnvironment.of(platform, config.path(), config.npm(), request.env(),
                config.registry(), cache);
        install(slug, env, deadline, log);
        Optional<String> buildScript = packageJson.script("build");
        String nodeEnv = request.env().getOrDefault(NODE_ENV, "production");
        if (buildScript.isPresent()) {
            log.info("Running the build script: " + buildScript.get());
            Map<String, String> buildEnv = new TreeMap<>(request.env());
            buildEnv.putAll(env);
            buildEnv.put(NODE_ENV, nodeEnv);
            run(log, slug, buildEnv, deadline, Duration.ofMinutes(config.buildTimeoutMinutes()),
                    List.of(config.npm(), "run", "build"), UnaryOperator.identity());
        }
        Map<String, String> processes = defaultWeb(packageJson, slug).map(command -> defaultWeb(command, "", log))
                .orElse(Map.of());
        Map<String, String> runtimeEnv = request.env().containsKey(NODE_ENV) ? Map.of() : Map.of(NODE_ENV, nodeEnv);
        return new Built(processes, runtimeEnv, List.of("node_modules/.bin"), "Node.js app");
    }

    private void install(Path slug, Map<String, String> env, Deadline deadline, BuildLog log)
            throws BuildException, InterruptedException {
        Optional<String> lockfile = LOCKFILES.stream().filter(name -> Files.isRegularFile(slug.resolve(name))).findFirst();
        String verb = lockfile.isPresent() ? "ci" : "install";
        String registry = env.containsKey("NPM_CONFIG_REGISTRY")
                ? " from " + BuildEnvironment.redacted(env.get("NPM_CONFIG_REGISTRY")) : "";
        log.info(lockfile.map(name -> "Installing dependencies with npm ci, as " + name + " says" + registry)
                .orElse("Installing dependencies with npm install" + registry + "; commit package-lock.json"
                        + " for repeatable builds"));
        run(log, slug, env, deadline, Duration.ofMinutes(config.installTimeoutMinutes()),
                List.of(config.npm(), verb, "--no-audit", "--no-fund"), e -> ToolFailure.explained(e,
                        "npm " + verb + " could not install the dependencies of package.json", NpmErrors.reasons(e.output())));
    }

    /** Heroku's defaults: {@code npm start} when there is a start script, else {@code node server.js}. */
    static Optional<String> defaultWeb(PackageJson packageJson, Path slug) {
        if (packageJson.script("start").isPresent()) {
            return Optional.of("npm start");
        }
        if (Files.isRegularFile(slug.resolve("server.js"))) {
            return Optional.of("node server.js");
        }
        return Optional.empty();
    }
}
