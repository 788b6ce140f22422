package cloud.hop3.plugin.support.build;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

import org.slf4j.LoggerFactory;

import cloud.hop3.api.build.BuildArtifact;
import cloud.hop3.api.build.BuildCommands;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.build.BuildRequest;
import cloud.hop3.api.build.Builder;
import cloud.hop3.api.build.Detection;
import cloud.hop3.api.build.RuntimeSpec;

/**
 * What the builders that run the server's build tools (pip, npm, go, Maven, Composer, Bundler)
 * have in common: a name, a configuration, the {@link BuildCommands} service that runs the tools,
 * the platform's environment that their tools' environments are made from
 * ({@link BuildEnvironment}), detection (a {@link Detector}: the app's reason, with the priority of
 * the configuration), the start of every build (the step line in the build log, the build's
 * {@link Deadline}, and the slug and cache directories as absolute paths), finding a tool or saying
 * how to install it, asking it its version, running a step within the deadline with its failure
 * explained, and the end of a build: the default web process in the log, the line in the
 * platform's log, and the artifact. A subclass, the DS component, says which apps it builds and how
 * ({@link #build(BuildRequest, Path, Path, Deadline, BuildLog)} returns what it {@link Built built}).
 *
 * @param <C> the type of the builder's configuration (its DS {@code Config} annotation)
 */
public abstract class ToolBuilder<C> implements Builder {

    /** Longest time a quick command of a tool may take, such as telling its version. */
    protected static final Duration PROBE_TIMEOUT = Duration.ofMinutes(1);

    /**
     * Says whether a source tree is an app that a builder builds, and with which priority.
     *
     * @param <C> the type of the builder's configuration
     */
    @FunctionalInterface
    public interface Detector<C> {

        /** The detection of the app in {@code source}, by a builder configured with {@code config}; empty when it is none of its apps. */
        Optional<Detection> detect(C config, Path source);

        /**
         * The detector that claims the source trees {@code reason} finds a reason in (such as "found
         * go.mod"), with the priority that {@code priority} reads in the configuration.
         */
        static <C> Detector<C> of(Function<Path, Optional<String>> reason, ToIntFunction<C> priority) {
            return (config, source) -> reason.apply(source).map(found -> new Detection(priority.applyAsInt(config), found));
        }
    }

    /**
     * What a build made of the slug: how the app runs and what the platform's log says of it.
     *
     * @param processes the processes that the Procfile does not declare (see {@link #defaultWeb})
     * @param env the app's environment, besides its config vars
     * @param path slug directories that go first on the app's {@code PATH}
     * @param summary what was built, for the platform's log line "{@code <app>: built <summary>}",
     *        such as "Go app, 3 packages compiled"
     */
    public record Built(Map<String, String> processes, Map<String, String> env, List<String> path, String summary) {
    }

    /** The builder's configuration. */
    protected final C config;
    /** Runs the build's tools. */
    protected final BuildCommands commands;
    /** The platform's environment, which the tools' environments take a few variables of. */
    protected final Map<String, String> platform;
    private final String name;
    private final String pid;
    private final Detector<C> detector;

    /**
     * @param name the builder's name, as in {@link Builder#name()}
     * @param pid the persistent id of the builder's configuration, which messages point the operator to
     * @param detector which apps the builder builds
     */
    protected ToolBuilder(String name, String pid, C config, BuildCommands commands, Map<String, String> platform,
                          Detector<C> detector) {
        this.name = name;
        this.pid = pid;
        this.config = config;
        this.commands = commands;
        this.platform = Map.copyOf(platform);
        this.detector = detector;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Optional<Detection> detect(Path source) {
        return detector.detect(config, source);
    }

    /**
     * Builds the app with {@link #build(BuildRequest, Path, Path, Deadline, BuildLog)}, logs what it
     * built in the platform's log (with the logger of the subclass) and returns the request's slug
     * directory as the artifact, with no static mapping and no health check.
     */
    @Override
    public final BuildArtifact build(BuildRequest request, BuildLog log) throws BuildException, InterruptedException {
        log.step("Building with " + name);
        Built built = build(request, request.slugDirectory().toAbsolutePath().normalize(),
                request.cacheDirectory().toAbsolutePath().normalize(), Deadline.after(request.timeout()), log);
        LoggerFactory.getLogger(getClass()).info("{}: built {}", request.app(), built.summary());
        return new BuildArtifact(request.slugDirectory(),
                new RuntimeSpec(built.processes(), built.env(), built.path(), List.of(), Optional.empty()));
    }

    /**
     * Builds the app of {@code request}, each step within {@code deadline}.
     *
     * @param slug the request's slug directory, as an absolute path
     * @param cache the request's cache directory, as an absolute path
     * @return how the built app runs
     * @see Builder#build(BuildRequest, BuildLog)
     */
    protected abstract Built build(BuildRequest request, Path slug, Path cache, Deadline deadline, BuildLog log)
            throws BuildException, InterruptedException;

    /**
     * The program {@code command} as {@link BuildEnvironment#locate} finds it on {@code path}.
     *
     * @param tool what the program is, as the user knows it ("Go", "Bundler")
     * @param setting the configuration attribute that names the program ("go", "bundle")
     * @param debianPackage the Debian package that installs the program
     * @throws BuildException when there is no such program, saying how to install it or where to configure it
     */
    protected final Path require(String tool, String setting, String command, String path, String debianPackage)
            throws BuildException {
        return BuildEnvironment.locate(command, path).orElseThrow(() -> new BuildException(tool
                + " is not installed on this server: there is no " + command + " on the search path (" + path
                + "). Install it (Debian: apt-get install " + debianPackage + "), or set the " + setting
                + " command of the " + name + " builder (configuration " + pid + ")."));
    }

    /**
     * Runs one step of the build: {@code command} in {@code directory} with {@code env}, for at most
     * {@code limit} or what is left before {@code deadline}.
     *
     * @param explain turns the step's failure into the exception the build fails with (often one that
     *        gives the reasons the tool printed, see {@link ToolFailure})
     */
    protected final void run(BuildLog log, Path directory, Map<String, String> env, Deadline deadline, Duration limit,
                             List<String> command, UnaryOperator<BuildException> explain)
            throws BuildException, InterruptedException {
        Duration timeout = deadline.within(limit);
        try {
            commands.run(log, directory, env, timeout, command);
        } catch (BuildException e) {
            throw explain.apply(e);
        }
    }

    /**
     * Runs {@code command}, a quick question to a tool (its version), in {@code directory} for at
     * most {@link #PROBE_TIMEOUT}; its output goes to the build log, and its failure fails the build.
     */
    protected final void probe(BuildLog log, Path directory, Map<String, String> env, Deadline deadline,
                               String... command) throws BuildException, InterruptedException {
        commands.run(log, directory, env, deadline.within(PROBE_TIMEOUT), List.of(command));
    }

    /**
     * The processes of a build whose default web process is {@code command}, said in the build log:
     * a Procfile line for web wins over it.
     *
     * @param note what the log line adds, such as "; the app must listen on $PORT" (empty for nothing)
     */
    protected static Map<String, String> defaultWeb(String command, String note, BuildLog log) {
        log.info("Default web process: " + command + " (a Procfile line for web wins)" + note);
        return Map.of("web", command);
    }

    /** The failure of a build that could not read the app's files. */
    protected static BuildException unreadable(IOException e) {
        return new BuildException("Could not read the app's files: " + e.getMessage(), e);
    }
}
