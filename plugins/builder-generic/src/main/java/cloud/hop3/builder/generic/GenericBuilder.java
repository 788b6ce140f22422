package cloud.hop3.builder.generic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.build.BuildArtifact;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.build.BuildRequest;
import cloud.hop3.api.build.Builder;
import cloud.hop3.api.build.Detection;
import cloud.hop3.api.build.RuntimeSpec;
import cloud.hop3.plugin.support.build.Procfile;

/**
 * The fall-back builder for apps that bring everything they need: a Procfile whose commands run
 * on what the server has (a shell script, a binary committed to the repository, a system
 * interpreter). It claims an app whose Procfile declares a long-running process (anything but
 * {@code release}, {@code cron} and {@code static}) with a low priority, so that every language
 * builder wins over it. The build installs nothing and leaves the slug as checked out; it logs
 * the processes it found and warns about commands that cannot run.
 */
@Component(service = Builder.class, property = Builder.NAME_PROPERTY + "=" + GenericBuilder.NAME,
        configurationPid = GenericBuilder.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = GenericBuilder.Config.class)
public class GenericBuilder implements Builder {

    static final String NAME = "generic";
    static final String PID = "cloud.hop3.builder.generic";

    private static final Logger LOG = LoggerFactory.getLogger(GenericBuilder.class);

    @ObjectClassDefinition(id = PID, name = "Hop3 generic builder",
            description = "Builds apps that need no dependencies installed: the commands of their Procfile run"
                    + " as they are.")
    public @interface Config {

        @AttributeDefinition(name = "Priority",
                description = "Detection priority, a plain number, of an app whose Procfile declares a long-running"
                        + " process (anything but release, cron and static). The builder with the highest priority"
                        + " builds the app; language builders use 100, so with the default this builder only builds"
                        + " apps that no other builder recognises.")
        int priority() default 10;
    }

    private final int priority;

    @Activate
    public GenericBuilder(Config config) {
        this.priority = config.priority();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Detection> detect(Path source) {
        try {
            List<Procfile.Entry> processes = Procfile.read(source).map(Procfile::longRunning).orElse(List.of());
            if (processes.isEmpty()) {
                return Optional.empty();
            }
            String names = processes.stream().map(Procfile.Entry::name).distinct().collect(Collectors.joining(", "));
            return Optional.of(new Detection(priority, "found " + names + " in Procfile"));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public BuildArtifact build(BuildRequest request, BuildLog log) throws BuildException, InterruptedException {
        log.step("Building with " + NAME);
        Path slug = request.slugDirectory();
        Procfile procfile;
        try {
            procfile = Procfile.read(slug).orElseThrow(() -> new BuildException("The app has no Procfile, so there"
                    + " is nothing for the generic builder to run; add a Procfile with a line such as"
                    + " web: ./start-server"));
        } catch (IOException e) {
            throw new BuildException("Could not read the Procfile: " + e.getMessage(), e);
        }
        for (Procfile.Entry entry : procfile.entries()) {
            if (entry.command().isEmpty()) {
                log.warn("Procfile line " + entry.lineNumber() + " declares " + entry.name() + " with no command;"
                        + " it is ignored.");
            } else {
                log.info("Procfile line " + entry.lineNumber() + ": " + entry.shown());
                checkProgram(slug, entry, log);
            }
        }
        if (procfile.longRunning().isEmpty()) {
            log.warn("The Procfile declares no long-running process (only release, cron or static lines),"
                    + " so nothing of this app runs between deploys.");
        }
        log.info("Nothing to install: the commands run as they are.");
        LOG.info("{}: generic build, {} process line(s) in Procfile", request.app(), procfile.entries().size());
        return new BuildArtifact(slug, new RuntimeSpec(Map.of(), Map.of(), List.of(), List.of(), Optional.empty()));
    }

    /** Warns when a command runs a program of the repository ({@code ./server}) that cannot run. */
    private static void checkProgram(Path slug, Procfile.Entry entry, BuildLog log) {
        String program = entry.command().split("\\s+", 2)[0];
        if (!program.startsWith("./")) {
            return;
        }
        Path file;
        try {
            file = slug.resolve(program).normalize();
        } catch (InvalidPathException e) {
            return;
        }
        String says = "Procfile line " + entry.lineNumber() + " runs " + program;
        if (!Files.exists(file)) {
            log.warn(says + ", which is not in the repository.");
        } else if (!Files.isDirectory(file) && !Files.isExecutable(file)) {
            log.warn(says + ", which is not executable; run git update-index --chmod=+x " + program.substring(2)
                    + ", commit and push again.");
        }
    }
}
