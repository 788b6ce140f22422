package cloud.hop3.builder.python;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
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
 * Builds Python apps. The slug gets a virtualenv in {@value #VENV}, created by the interpreter
 * that {@link Interpreter} chooses; when requirements.txt lists anything, the virtualenv's pip
 * installs it, with the app's own pip cache and the package index of its config vars. The app
 * runs with the virtualenv first on its {@code PATH}; its Procfile says what runs. An app without
 * requirements builds offline. Tools run through {@link BuildCommands}, in the environment that
 * {@link ToolEnvironment} describes.
 */
@Component(service = Builder.class, property = Builder.NAME_PROPERTY + "=" + PythonBuilder.NAME,
        configurationPid = PythonBuilder.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PythonBuilder.Config.class)
public class PythonBuilder implements Builder {

    static final String NAME = "python";
    static final String PID = "cloud.hop3.builder.python";
    static final String VENV = ".venv";

    private static final Logger LOG = LoggerFactory.getLogger(PythonBuilder.class);
    private static final Duration MINIMUM_STEP = Duration.ofSeconds(1);
    /** How pip starts the lines that say why it failed. */
    private static final String PIP_ERROR = "ERROR: ";

    @ObjectClassDefinition(id = PID, name = "Hop3 Python builder",
            description = "Builds Python apps: a virtualenv in the slug, with the requirements of requirements.txt"
                    + " installed by pip.")
    public @interface Config {

        @AttributeDefinition(name = "Priority",
                description = "Detection priority, a plain number, of an app that has requirements.txt, pyproject.toml,"
                        + " setup.py or Pipfile, or a runtime.txt that names Python. The builder with the highest"
                        + " priority builds the app; generic fall-backs use 10.")
        int priority() default 100;

        @AttributeDefinition(name = "Python interpreter",
                description = "Interpreter that creates an app's virtualenv when the app chooses none with the"
                        + " HOP3_PYTHON or PYTHON_VERSION config var or runtime.txt: a command looked up on the"
                        + " search path, or an absolute path.")
        String python() default "python3";

        @AttributeDefinition(name = "Search path",
                description = "Directories, separated by colons, where the interpreter and the programs that builds"
                        + " start are looked up. Empty means the PATH of the Hop3 process.")
        String path() default "";

        @AttributeDefinition(name = "Virtualenv timeout", min = "1",
                description = "Longest time, in seconds, that creating the virtualenv may take; after that it is"
                        + " stopped and the build fails.")
        int venvTimeoutSeconds() default 120;

        @AttributeDefinition(name = "Install timeout", min = "1",
                description = "Longest time, in minutes, that pip may take to install the requirements; after that"
                        + " it is stopped and the build fails. The build's own time limit applies when it is shorter.")
        int installTimeoutMinutes() default 15;

        @AttributeDefinition(name = "Default package index",
                description = "Package index that pip uses when the app sets no PIP_INDEX_URL config var, for example"
                        + " a mirror inside your network. Empty means pip's default, PyPI. pip's configuration files"
                        + " on the server are not read, so that a build depends only on the app and this configuration.")
        String indexUrl() default "";
    }

    private final Config config;
    private final BuildCommands commands;
    private final Map<String, String> platform;

    @Activate
    public PythonBuilder(Config config, @Reference BuildCommands commands) {
        this(config, commands, System.getenv());
    }

    PythonBuilder(Config config, BuildCommands commands, Map<String, String> platform) {
        this.config = config;
        this.commands = commands;
        this.platform = Map.copyOf(platform);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Detection> detect(Path source) {
        return PythonProject.detect(source).map(reason -> new Detection(config.priority(), reason));
    }

    @Override
    public BuildArtifact build(BuildRequest request, BuildLog log) throws BuildException, InterruptedException {
        log.step("Building with " + NAME);
        Instant deadline = Instant.now().plus(request.timeout());
        Path slug = request.slugDirectory().toAbsolutePath().normalize();
        Path venv = slug.resolve(VENV);
        try {
            List<String> markers = PythonProject.markers(slug);
            if (!markers.isEmpty()) {
                log.info("Found " + String.join(", ", markers));
            }
            Interpreter interpreter = Interpreter.choose(request.env(), PythonProject.runtimeVersion(slug), config.python());
            Map<String, String> env = ToolEnvironment.of(platform, config.path(), request.env(), config.indexUrl(),
                    request.cacheDirectory().toAbsolutePath());
            interpreter.locate(env.get("PATH"));
            removeCommittedVenv(venv, log);
            createVenv(interpreter, slug, venv, env, deadline, log);
            installRequirements(slug, venv, env, deadline, log, markers);
        } catch (IOException e) {
            throw new BuildException("Could not read the app's files: " + e.getMessage(), e);
        }
        LOG.info("{}: built Python app", request.app());
        Map<String, String> runtimeEnv = Map.of("VIRTUAL_ENV", venv.toString(), "PYTHONUNBUFFERED", "1");
        return new BuildArtifact(request.slugDirectory(),
                new RuntimeSpec(Map.of(), runtimeEnv, List.of(VENV + "/bin"), List.of(), Optional.empty()));
    }

    private void createVenv(Interpreter interpreter, Path slug, Path venv, Map<String, String> env, Instant deadline,
                            BuildLog log) throws BuildException, InterruptedException, IOException {
        log.info("Creating a virtualenv in " + VENV + " with " + interpreter.command() + " (chosen by "
                + interpreter.chosenBy() + ")");
        try {
            commands.run(log, slug, env, within(Duration.ofSeconds(config.venvTimeoutSeconds()), deadline),
                    List.of(interpreter.command(), "-m", "venv", venv.toString()));
        } catch (BuildException e) {
            if (e.output().stream().anyMatch(PythonBuilder::venvMissing)) {
                String name = interpreter.command().contains("/") ? "python3" : interpreter.command();
                throw new BuildException(interpreter.command() + " cannot create virtualenvs on this server: its venv"
                        + " module or ensurepip is missing. On Debian and Ubuntu, install the package " + name
                        + "-venv.", e);
            }
            throw e;
        }
        PythonProject.file(venv, "pyvenv.cfg").flatMap(PythonBuilder::version)
                .ifPresent(version -> log.info("Python " + version + " is in " + VENV));
    }

    private void installRequirements(Path slug, Path venv, Map<String, String> env, Instant deadline, BuildLog log,
                                     List<String> markers) throws BuildException, InterruptedException, IOException {
        if (!markers.contains(PythonProject.REQUIREMENTS)) {
            for (String marker : markers) {
                log.warn(marker + " is not installed: this builder installs requirements.txt only; list the app's"
                        + " dependencies there (pip freeze > requirements.txt).");
            }
            log.info("No requirements.txt: nothing to install.");
            return;
        }
        if (!PythonProject.hasRequirements(slug)) {
            log.info("requirements.txt lists no requirements: nothing to install.");
            return;
        }
        Map<String, String> pipEnv = new TreeMap<>(env);
        pipEnv.put("VIRTUAL_ENV", venv.toString());
        pipEnv.put("PATH", venv.resolve("bin") + ":" + env.get("PATH"));
        String index = env.containsKey("PIP_INDEX_URL") ? ToolEnvironment.redacted(env.get("PIP_INDEX_URL")) : "PyPI";
        log.info("Installing requirements.txt from " + index);
        try {
            commands.run(log, slug, pipEnv, within(Duration.ofMinutes(config.installTimeoutMinutes()), deadline),
                    List.of(venv.resolve("bin/pip").toString(), "install", "--disable-pip-version-check",
                            "-r", PythonProject.REQUIREMENTS));
        } catch (BuildException e) {
            List<String> errors = e.output().stream().filter(line -> line.startsWith(PIP_ERROR))
                    .map(line -> line.substring(PIP_ERROR.length()).strip()).collect(Collectors.toList());
            if (errors.isEmpty()) {
                throw e;
            }
            String reasons = String.join("; ", errors);
            throw new BuildException("pip could not install requirements.txt from " + index + ": " + reasons, e);
        }
    }

    /** A virtualenv committed to the repository is useless elsewhere (absolute paths): replace it. */
    private static void removeCommittedVenv(Path venv, BuildLog log) throws IOException {
        if (!Files.exists(venv, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        log.warn("The repository contains " + VENV + "; it is replaced by a fresh virtualenv. Add " + VENV
                + " to .gitignore.");
        Files.walkFileTree(venv, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Whether a line of {@code python -m venv} says that the venv module or ensurepip is missing. */
    private static boolean venvMissing(String line) {
        return line.contains("ensurepip is not available") || line.contains("No module named venv")
                || line.contains("No module named ensurepip");
    }

    /** The {@code version} line of a pyvenv.cfg. */
    private static Optional<String> version(Path pyvenvCfg) {
        try {
            return Files.readAllLines(pyvenvCfg).stream().map(String::strip)
                    .filter(line -> line.matches("version(_info)?\\s*=.*"))
                    .map(line -> line.substring(line.indexOf('=') + 1).strip()).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The step's own timeout, cut to what is left of the build's. */
    static Duration within(Duration step, Instant deadline) throws BuildException {
        Duration left = Duration.ofSeconds(Duration.between(Instant.now(), deadline).getSeconds());
        if (left.compareTo(MINIMUM_STEP) < 0) {
            throw new BuildException("The build used up its time limit before it was done.");
        }
        return step.compareTo(left) <= 0 ? step : left;
    }
}
