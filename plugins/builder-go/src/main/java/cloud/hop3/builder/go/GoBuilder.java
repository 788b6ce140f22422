package cloud.hop3.builder.go;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

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
 * Builds Go apps with the server's go command: {@code go build -v -o <cache>/bin/ ./...} compiles
 * every main package of the module, and the commands it built are copied into the slug's
 * {@value #BIN} (the root package's command is named after the module path, {@code cmd/worker}
 * becomes {@code bin/worker}). An app without go.mod gets one
 * first ({@code go mod init <app name>}). The app runs with {@value #BIN} on its {@code PATH};
 * without a Procfile its web process is the command of the root package, or the only command.
 * <p>
 * <b>Build cache.</b> The app's {@code GOCACHE} and {@code GOMODCACHE} are in its cache
 * directory. go keys what it compiled by the package's directory, and each release has a slug
 * directory of its own, so go runs in {@value #BUILD_LINK}, a link in the cache directory that is
 * pointed at the slug being built, with {@code PWD} set to it: every build sees the same
 * directory, and a package whose files did not change comes from the cache, without
 * {@code -trimpath} (which would recompile the whole standard library once per app). go writes the
 * commands into {@value #BIN} of the cache directory, where it does not link again a command that
 * is up to date (it only touches it), and they are copied from there into the slug, so that no
 * release shares a file with the next build. Which commands this build made is told by their
 * modification time: those in the cache are set to the epoch first, and go links or touches every
 * command of the module, never one that the module no longer has. The log says how many packages
 * go compiled.
 * <p>
 * go runs in the environment {@link GoEnvironment} describes; its failures are explained by
 * {@link GoErrors}.
 */
@Component(service = Builder.class, property = Builder.NAME_PROPERTY + "=" + GoBuilder.NAME,
        configurationPid = GoBuilder.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = GoBuilder.Config.class)
public class GoBuilder extends ToolBuilder<GoBuilder.Config> {

    static final String NAME = "go";
    static final String PID = "cloud.hop3.builder.go";
    /** Where in the slug the commands go, and what goes first on the app's PATH. */
    static final String BIN = "bin";
    /** The link, in the app's cache directory, through which go sees the slug at one path. */
    static final String BUILD_LINK = "app";

    /** The modification time of the commands in the cache before a build: those that go makes or touches are newer. */
    private static final FileTime OLD = FileTime.fromMillis(0);

    @ObjectClassDefinition(id = PID, name = "Hop3 Go builder",
            description = "Builds Go apps with the server's go command, with a build cache per app.")
    public @interface Config {

        @AttributeDefinition(name = "Priority",
                description = "Detection priority, a plain number, of an app with go.mod or a .go file at its top."
                        + " The builder with the highest priority builds the app; generic fall-backs use 10.")
        int priority() default 100;

        @AttributeDefinition(name = "go",
                description = "The go command: a name looked up on the search path, or an absolute path, whose"
                        + " directory then goes first on the search path.")
        String go() default "go";

        @AttributeDefinition(name = "Search path",
                description = "Directories, separated by colons, where go and the programs it starts (the C"
                        + " compiler for cgo) are looked up. Empty means the PATH of the Hop3 process.")
        String path() default "";

        @AttributeDefinition(name = "Build timeout", min = "1",
                description = "Longest time, in minutes, that go may take to build the app; after that it is stopped"
                        + " and the build fails. The build's own time limit applies when it is shorter.")
        int buildTimeoutMinutes() default 15;

        @AttributeDefinition(name = "Default module proxy",
                description = "GOPROXY for apps that set no GOPROXY config var. off (the default) downloads nothing:"
                        + " apps build with the standard library, vendored modules and the modules already in their"
                        + " module cache. For example https://proxy.golang.org, or a proxy inside your network.")
        String proxy() default "off";
    }

    @Activate
    public GoBuilder(Config config, @Reference BuildCommands commands) {
        this(config, commands, System.getenv());
    }

    GoBuilder(Config config, BuildCommands commands, Map<String, String> platform) {
        super(NAME, PID, config, commands, platform, Detector.of(GoProject::detect, Config::priority));
    }

    @Override
    protected Built build(BuildRequest request, Path slug, Path cache, Deadline deadline, BuildLog log)
            throws BuildException, InterruptedException {
        boolean vendored = GoProject.vendored(slug);
        Map<String, String> env = GoEnvironment.of(platform, config.path(), config.go(), request.env(), config.proxy(),
                cache, vendored);
        Path go = require("Go", "go", config.go(), env.get("PATH"), "golang-go");
        Path bin = slug.resolve(BIN);
        if (Files.exists(bin, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(bin, LinkOption.NOFOLLOW_LINKS)) {
            throw new BuildException("The app has a file named " + BIN + " where the Go builder puts the app's"
                    + " commands; rename it, or make it a directory.");
        }
        Path dir = pointBuildLink(cache, slug);
        Path out = cache.resolve(BIN);
        env.put("PWD", dir.toString());
        probe(log, dir, env, deadline, go.toString(), "version");
        String module = modulePath(request, dir, env, go, deadline, log);
        log.info("Module " + module + (vendored ? ", with the modules of vendor/" : ", modules from GOPROXY="
                + BuildEnvironment.redacted(env.getOrDefault("GOPROXY", "(go's default)"))));
        boolean warm = hasEntries(cache.resolve(GoEnvironment.BUILD_CACHE));
        log.info(warm ? "Reusing the app's Go build cache: packages that did not change are not compiled again"
                : "Starting the app's Go build cache: the next builds reuse what this one compiles");
        markOld(out);
        CompiledPackages compiled = new CompiledPackages(log);
        long began = System.nanoTime();
        run(compiled, dir, env, deadline, Duration.ofMinutes(config.buildTimeoutMinutes()),
                List.of(go.toString(), "build", "-v", "-modcacherw", "-o", out + "/", "./..."),
                e -> GoErrors.explain(e, dir.toString(), env.getOrDefault("GOPROXY", "")));
        log.info(summary(compiled.count(), warm, Duration.ofNanos(System.nanoTime() - began)));
        TreeSet<String> built = commandsIn(out, OLD);
        copy(out, built, bin);
        Map<String, String> processes = defaultProcesses(built, GoProject.commandName(module), log);
        return new Built(processes, Map.of(), List.of(BIN), "Go app, " + compiled.count() + " packages compiled");
    }

    /** The module path of go.mod; an app without one gets a go.mod for a module named after the app. */
    private String modulePath(BuildRequest request, Path dir, Map<String, String> env, Path go, Deadline deadline,
                              BuildLog log) throws BuildException, InterruptedException {
        try {
            if (!GoProject.hasGoMod(dir)) {
                String name = request.app().value();
                log.info("No go.mod: the app is built as module " + name + " (go mod init " + name + "); commit a"
                        + " go.mod to choose the module path and Go version");
                probe(log, dir, env, deadline, go.toString(), "mod", "init", name);
            }
            return GoProject.modulePath(dir).orElseThrow(() -> new BuildException("go.mod has no module line; add"
                    + " one such as: module example.com/" + request.app().value()));
        } catch (IOException e) {
            throw new BuildException("Could not read go.mod: " + e.getMessage(), e);
        }
    }

    /** The web process: the command named after the module, else the only command. */
    static Map<String, String> defaultProcesses(TreeSet<String> built, String rootCommand, BuildLog log) {
        if (built.isEmpty()) {
            log.warn("go built no command into " + BIN + "/, so there is no default web process.");
            return Map.of();
        }
        log.info("Built " + String.join(", ", built.stream().map(name -> BIN + "/" + name).toList()));
        String web = built.contains(rootCommand) ? rootCommand : built.size() == 1 ? built.first() : null;
        if (web == null) {
            log.info("No default web process among several commands; add one to the Procfile, such as web: "
                    + BIN + "/" + built.first());
            return Map.of();
        }
        return defaultWeb(BIN + "/" + web, "", log);
    }

    static String summary(int compiled, boolean warm, Duration took) {
        String time = String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
        if (compiled == 0) {
            return "go compiled no package in " + time + ": every package came from the app's Go build cache";
        }
        String packages = compiled == 1 ? "1 package" : compiled + " packages";
        return "go compiled " + packages + " in " + time + (warm ? "; the others came from the app's Go build cache" : "");
    }

    /**
     * Points the build link at {@code slug}, in one step (a new link renamed over the old one), and
     * returns it. Builds of one app do not run concurrently, so no other build uses the link meanwhile.
     */
    static Path pointBuildLink(Path cache, Path slug) throws BuildException {
        Path link = cache.resolve(BUILD_LINK);
        try {
            Files.createDirectories(cache);
            Path next = cache.resolve("." + BUILD_LINK + "-" + UUID.randomUUID());
            Files.createSymbolicLink(next, slug);
            Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return link;
        } catch (IOException e) {
            throw new BuildException("The Go build cache in " + cache + " cannot be used: " + e
                    + "; check that the Hop3 user can write there.", e);
        }
    }

    /** Copies the commands {@code names} from {@code from} into {@code to}, replacing files of the same name. */
    static void copy(Path from, TreeSet<String> names, Path to) throws BuildException {
        try {
            Files.createDirectories(to);
            for (String name : names) {
                Files.copy(from.resolve(name), to.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new BuildException("Could not copy the app's commands into " + BIN + "/ of the slug: " + e, e);
        }
    }

    /** Sets the modification time of the commands in {@code bin} to {@link #OLD}. */
    static void markOld(Path bin) throws BuildException {
        try {
            Files.createDirectories(bin);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(bin)) {
                for (Path file : files) {
                    Files.setLastModifiedTime(file, OLD);
                }
            }
        } catch (IOException e) {
            throw new BuildException("The Go build cache in " + bin.getParent() + " cannot be used: " + e
                    + "; check that the Hop3 user can write there.", e);
        }
    }

    /** The executable files of {@code bin} changed after {@code since}. */
    static TreeSet<String> commandsIn(Path bin, FileTime since) {
        TreeSet<String> names = new TreeSet<>();
        if (!Files.isDirectory(bin)) {
            return names;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(bin)) {
            for (Path file : files) {
                if (Files.isRegularFile(file) && Files.isExecutable(file)
                        && Files.getLastModifiedTime(file).compareTo(since) > 0) {
                    names.add(file.getFileName().toString());
                }
            }
        } catch (IOException e) {
            // what cannot be listed is not proposed to run
        }
        return names;
    }

    private static boolean hasEntries(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return entries.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }
}
