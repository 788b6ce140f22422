package cloud.hop3.builder.php;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
import cloud.hop3.api.build.Detection;
import cloud.hop3.plugin.support.build.Deadline;
import cloud.hop3.plugin.support.build.ToolBuilder;
import cloud.hop3.plugin.support.build.ToolFailure;

/**
 * Builds PHP apps with the PHP and Composer of the machine. With a {@code composer.json},
 * {@code composer install --no-dev --no-interaction --prefer-dist --optimize-autoloader} fills
 * the slug's {@code vendor/}, with Composer's home and download cache in the app's cache
 * directory ({@link ComposerEnvironment}). The app runs with {@code vendor/bin} on its
 * {@code PATH}; without a Procfile web process, PHP's built-in server serves it:
 * {@code php -S 127.0.0.1:$PORT -t <document root> <router>} ({@link PhpProject}), where the router
 * is the app's {@code router.php}, else the builder's {@link GuardRouter}, which keeps hidden and
 * configuration files from being served.
 * Serving through php-fpm would need a FastCGI proxy, which Hop3 does not have.
 */
@Component(service = Builder.class, property = Builder.NAME_PROPERTY + "=" + PhpBuilder.NAME,
        configurationPid = PhpBuilder.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PhpBuilder.Config.class)
public class PhpBuilder extends ToolBuilder<PhpBuilder.Config> {

    static final String NAME = "php";
    static final String PID = "cloud.hop3.builder.php";
    static final List<String> INSTALL = List.of("install", "--no-dev", "--no-interaction", "--prefer-dist",
            "--optimize-autoloader", "--no-progress", "--no-ansi");

    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);

    @ObjectClassDefinition(id = PID, name = "Hop3 PHP builder",
            description = "Builds PHP apps: dependencies installed by Composer, served by PHP's built-in web server.")
    public @interface Config {

        @AttributeDefinition(name = "Priority",
                description = "Detection priority, a plain number, of an app that has composer.json. The builder"
                        + " with the highest priority builds the app; the default is above the 100 of package.json,"
                        + " which PHP apps often carry for their front-end assets.")
        int priority() default 110;

        @AttributeDefinition(name = "Priority without composer.json",
                description = "Detection priority, a plain number, of an app that has index.php or public/index.php"
                        + " but no composer.json: above static sites (50 for public/index.html), below language builders.")
        int indexPriority() default 60;

        @AttributeDefinition(name = "PHP",
                description = "The PHP command that builds and serves apps: a name looked up on the search path, or"
                        + " an absolute path.")
        String php() default "php";

        @AttributeDefinition(name = "Composer",
                description = "The Composer command: a name looked up on the search path, or an absolute path.")
        String composer() default "composer";

        @AttributeDefinition(name = "Search path",
                description = "Directories, separated by colons, where php, composer and the programs that builds"
                        + " start are looked up. Empty means the PATH of the Hop3 process.")
        String path() default "";

        @AttributeDefinition(name = "Install timeout", min = "1",
                description = "Longest time, in minutes, that Composer may take to install the dependencies; after"
                        + " that it is stopped and the build fails. The build's own time limit applies when it is shorter.")
        int installTimeoutMinutes() default 15;
    }

    @Activate
    public PhpBuilder(Config config, @Reference BuildCommands commands) {
        this(config, commands, System.getenv());
    }

    PhpBuilder(Config config, BuildCommands commands, Map<String, String> platform) {
        super(NAME, PID, config, commands, platform, PhpBuilder::detect);
    }

    /** An app with composer.json has the priority; one with only index.php the lower index priority. */
    static Optional<Detection> detect(Config config, Path source) {
        PhpProject project = PhpProject.of(source);
        return project.marker().map(marker -> new Detection(project.composer() ? config.priority()
                : config.indexPriority(), "found " + marker));
    }

    @Override
    protected Built build(BuildRequest request, Path slug, Path cache, Deadline deadline, BuildLog log)
            throws BuildException, InterruptedException {
        PhpProject project = PhpProject.of(slug);
        if (project.marker().isEmpty() && project.router().isEmpty()) {
            throw new BuildException("The app has no composer.json, index.php or public/index.php; add one to build it"
                    + " as a PHP app.");
        }
        Map<String, String> env = ComposerEnvironment.of(platform, config.path(), request.env(),
                cache);
        run(log, slug, env, deadline, VERSION_TIMEOUT, List.of(config.php(), "-r", "echo 'PHP ', PHP_VERSION, PHP_EOL;"),
                e -> ToolFailure.notInstalled(e, "PHP", "php-cli"));
        if (project.composer()) {
            install(slug, env, deadline, log);
        } else {
            log.info("No composer.json: nothing to install.");
        }
        Optional<String> web = project.webCommand(config.php());
        if (web.isEmpty()) {
            log.info("No index.php or router.php to serve: declare a web process in the Procfile (web: ...).");
        } else if (project.router().isEmpty()) {
            GuardRouter.write(slug);
        }
        Map<String, String> processes = web.map(command -> defaultWeb(command, "", log)).orElse(Map.of());
        return new Built(processes, Map.of(), project.composer() ? List.of("vendor/bin") : List.of(), "PHP app");
    }

    private void install(Path slug, Map<String, String> env, Deadline deadline, BuildLog log)
            throws BuildException, InterruptedException {
        log.info(Files.isRegularFile(slug.resolve("composer.lock"))
                ? "Installing dependencies with composer install, as composer.lock says"
                : "Installing dependencies with composer install; commit composer.lock for repeatable builds");
        List<String> command = new ArrayList<>(List.of(config.composer()));
        command.addAll(INSTALL);
        run(log, slug, env, deadline, Duration.ofMinutes(config.installTimeoutMinutes()), command,
                e -> ToolFailure.explained(ToolFailure.notInstalled(e, "Composer", "composer"),
                        "composer install could not install the dependencies of composer.json",
                        ComposerErrors.reasons(e.output())));
    }
}
