package com.example.hop3.hello;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

import cloud.hop3.api.build.BuildArtifact;
import cloud.hop3.api.build.BuildCommands;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.build.BuildRequest;
import cloud.hop3.api.build.Builder;
import cloud.hop3.api.build.Detection;
import cloud.hop3.api.build.HealthCheck;
import cloud.hop3.api.build.RuntimeSpec;

/**
 * Builds apps that have a {@code hello.txt}: the slug gets a page, {@code .hello/index.html},
 * with a greeting as its heading and the file's text below it, and a web process that serves
 * it with {@code python3 -m http.server}. The greeting is the app's {@code HELLO_GREETING}
 * config var, else the operator's {@code greeting} setting.
 */
@Component(service = Builder.class, property = Builder.NAME_PROPERTY + "=" + HelloBuilder.NAME,
        configurationPid = HelloBuilder.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HelloBuilder.Config.class)
public class HelloBuilder implements Builder {

    static final String NAME = "hello";
    static final String PID = "com.example.hop3.builder.hello";
    static final String MARKER = "hello.txt";
    static final String SITE = ".hello";
    static final String GREETING_VAR = "HELLO_GREETING";
    /** The PATH app processes get from the platform; the build checks the interpreter on the same one. */
    static final String PATH = "/usr/local/bin:/usr/bin:/bin";

    @ObjectClassDefinition(id = PID, name = "Hop3 hello builder",
            description = "Builds apps that have a hello.txt into a page that shows it.")
    public @interface Config {

        @AttributeDefinition(name = "Priority",
                description = "Detection priority, a plain number, of an app that has hello.txt. The builder with"
                        + " the highest priority builds the app; language builders use 100, generic fall-backs 10.")
        int priority() default 100;

        @AttributeDefinition(name = "Greeting",
                description = "Heading of the page, for apps that set no HELLO_GREETING config var.")
        String greeting() default "Hello";

        @AttributeDefinition(name = "Python",
                description = "The interpreter that serves the page: a name looked up on /usr/local/bin:/usr/bin:/bin,"
                        + " or an absolute path.")
        String python() default "python3";

        @AttributeDefinition(name = "Check timeout", min = "1",
                description = "Longest time, in seconds, that the interpreter may take to tell its version during a"
                        + " build; after that the build fails. The build's own time limit applies when it is shorter.")
        int checkTimeoutSeconds() default 30;
    }

    private final Config config;
    private final BuildCommands commands;

    /** DS calls this with the configuration of {@value #PID} (or the defaults) and core's BuildCommands. */
    @Activate
    public HelloBuilder(Config config, @Reference(name = "commands") BuildCommands commands) {
        this.config = config;
        this.commands = commands;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Detection> detect(Path source) {
        // files only, within milliseconds: no process, no network
        try {
            Path marker = source.resolve(MARKER);
            if (Files.isRegularFile(marker) && marker.toRealPath().startsWith(source.toRealPath())) {
                return Optional.of(new Detection(config.priority(), "found " + MARKER));
            }
        } catch (IOException | RuntimeException e) {
            // a tree that cannot be read is not claimed
        }
        return Optional.empty();
    }

    @Override
    public BuildArtifact build(BuildRequest request, BuildLog log) throws BuildException, InterruptedException {
        log.step("Building with " + NAME);
        String text = HelloPage.readText(request.source());
        String greeting = request.env().getOrDefault(GREETING_VAR, config.greeting()).strip();
        if (greeting.isEmpty()) {
            throw new BuildException("The greeting is empty: set the config var " + GREETING_VAR
                    + " to some text, or unset it to use the default.");
        }

        log.info("Checking that " + config.python() + " can serve the page");
        Duration check = Duration.ofSeconds(Math.max(1, config.checkTimeoutSeconds()));
        Duration timeout = check.compareTo(request.timeout()) <= 0 ? check : request.timeout();
        try {
            commands.run(log, request.slugDirectory(), Map.of("PATH", PATH, "LANG", "C.UTF-8"), timeout,
                    List.of(config.python(), "--version"));
        } catch (BuildException e) {
            throw new BuildException("The hello builder serves the page with " + config.python()
                    + ", which could not be run: " + e.getMessage(), e.output());
        }

        Path site = request.slugDirectory().resolve(SITE);
        HelloPage.write(site, request.app().toString(), greeting, text);
        log.info("Wrote " + SITE + "/index.html (" + text.length() + " characters of " + MARKER + ")");

        String web = config.python() + " -m http.server --bind 127.0.0.1 --directory " + SITE + " $PORT";
        log.info("Default web process: " + web + " (a Procfile line for web wins)");
        return new BuildArtifact(request.slugDirectory(), new RuntimeSpec(Map.of("web", web), Map.of(), List.of(),
                List.of(), Optional.of(new HealthCheck("/", HelloPage.escape(greeting), Duration.ofSeconds(30)))));
    }
}
