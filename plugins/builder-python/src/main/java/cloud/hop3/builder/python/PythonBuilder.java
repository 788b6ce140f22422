package cloud.hop3.builder.python;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.build.BuildCommands;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.build.BuildRequest;
import cloud.hop3.api.build.Builder;
import cloud.hop3.plugin.support.build.Deadline;
import cloud.hop3.plugin.support.build.ToolBuilder;
import cloud.hop3.plugin.support.files.Trees;

/**
 * Builds Python apps into a virtualenv that the slug reaches as {@value #VENV}, created by the
 * interpreter that {@link Interpreter} chooses. The app runs with the virtualenv first on its
 * {@code PATH}; its Procfile says what runs. Tools run through {@link PythonTools}, in the
 * environment that {@link ToolEnvironment} describes. Three cases:
 * <ul>
 * <li>No requirements (no requirements.txt, or only comments in it): {@code python -m venv
 * --without-pip}, a tenth of a second where ensurepip takes seconds, offline, kept in the app's
 * {@link VirtualenvCache} as below (one per interpreter), so that a redeploy only links to it. The
 * app's virtualenv has no pip.</li>
 * <li>Requirements: the virtualenv is kept in the app's {@link VirtualenvCache}, one per distinct
 * interpreter (path, executable and {@code sys.version}), {@link Requirements#normalised()
 * requirements} and {@link #INDEX_SETTINGS index settings}; the first build with them runs pip
 * (with the app's own pip cache), the next ones reuse it. {@value #VENV} is a link to it, and
 * {@code VIRTUAL_ENV} its real path. Requirements without versions are therefore resolved once,
 * when the virtualenv is built; a change to requirements.txt or to the index settings builds a new
 * one. The cache keeps {@value VirtualenvCache#KEPT} virtualenvs besides those of the builds the
 * deploy pipeline keeps; a release whose virtualenv was evicted gets it back only by a new build
 * (a rollback does not build), which is why the virtualenvs of kept builds are never evicted.</li>
 * <li>Requirements that install files of the app ({@code -e .}): a virtualenv with pip in the
 * slug, built by every build, as such a virtualenv belongs to one slug.</li>
 * </ul>
 */
@Component(service = Builder.class, property = Builder.NAME_PROPERTY + "=" + PythonBuilder.NAME,
        configurationPid = PythonBuilder.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PythonBuilder.Config.class)
public class PythonBuilder extends ToolBuilder<PythonBuilder.Config> {

    static final String NAME = "python";
    static final String PID = "cloud.hop3.builder.python";
    static final String VENV = ".venv";

    /** Where in the app's cache directory the virtualenvs of its requirements are kept. */
    static final String VENVS = "venvs";
    /** What decides the packages of a virtualenv made for an app without requirements: none, and no pip. */
    static final String WITHOUT_PIP = "no requirements, no pip";
    /** The pip settings, besides requirements.txt, that decide which packages a virtualenv gets. */
    static final List<String> INDEX_SETTINGS = List.of("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS",
            "PIP_NO_INDEX");

    private static final Logger LOG = LoggerFactory.getLogger(PythonBuilder.class);

    @ObjectClassDefinition(id = PID, name = "Hop3 Python builder",
            description = "Builds Python apps: a virtualenv for the slug, with the requirements of requirements.txt"
                    + " installed by pip and kept between builds while they do not change.")
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
                description = "Longest time, in seconds, that creating the virtualenv, or asking the interpreter its"
                        + " version, may take; after that it is"
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

    @Activate
    public PythonBuilder(Config config, @Reference BuildCommands commands) {
        this(config, commands, System.getenv());
    }

    PythonBuilder(Config config, BuildCommands commands, Map<String, String> platform) {
        super(NAME, PID, config, commands, platform, Detector.of(PythonProject::detect, Config::priority));
    }

    @Override
    protected Built build(BuildRequest request, Path slug, Path cache, Deadline deadline, BuildLog log)
            throws BuildException, InterruptedException {
        Path venv;
        try {
            List<String> markers = PythonProject.markers(slug);
            if (!markers.isEmpty()) {
                log.info("Found " + String.join(", ", markers));
            }
            Interpreter interpreter = Interpreter.choose(request.env(), PythonProject.runtimeVersion(slug), config.python());
            Map<String, String> env = ToolEnvironment.of(platform, config.path(), request.env(), config.indexUrl(), cache);
            Path python = interpreter.locate(env.get("PATH"));
            removeCommittedVenv(slug.resolve(VENV), log);
            PythonTools tools = new PythonTools(commands, config, interpreter, python, slug, env, deadline, log);
            if (!markers.contains(PythonProject.REQUIREMENTS) || !PythonProject.hasRequirements(slug)) {
                nothingToInstall(markers, log);
                venv = cached(tools, interpreter, python, List.of(WITHOUT_PIP), false, slug, cache, log);
            } else {
                Requirements requirements = Requirements.read(slug);
                if (requirements.localReference().isPresent()) {
                    venv = inSlug(tools, interpreter, slug, requirements.localReference().get(), log);
                } else {
                    List<String> decides = new ArrayList<>(List.of(requirements.normalised()));
                    for (String name : INDEX_SETTINGS) {
                        decides.add(name + "=" + env.getOrDefault(name, ""));
                    }
                    venv = cached(tools, interpreter, python, decides, true, slug, cache, log);
                }
            }
        } catch (IOException e) {
            throw unreadable(e);
        }
        Map<String, String> runtimeEnv = Map.of("VIRTUAL_ENV", venv.toString(), "PYTHONUNBUFFERED", "1");
        return new Built(Map.of(), runtimeEnv, List.of(VENV + "/bin"), "Python app");
    }

    /** Says why pip does not run: no requirements.txt (and which other files are not installed), or an empty one. */
    private static void nothingToInstall(List<String> markers, BuildLog log) {
        if (!markers.contains(PythonProject.REQUIREMENTS)) {
            for (String marker : markers) {
                log.warn(marker + " is not installed: this builder installs requirements.txt only; list the app's"
                        + " dependencies there (pip freeze > requirements.txt).");
            }
            log.info("No requirements.txt: nothing to install.");
        } else {
            log.info("requirements.txt lists no requirements: nothing to install.");
        }
    }

    /** Requirements that install files of the app: a virtualenv of the slug's own, as they cannot be shared. */
    private static Path inSlug(PythonTools tools, Interpreter interpreter, Path slug, String localReference,
                               BuildLog log) throws BuildException, InterruptedException {
        log.info("requirements.txt installs files of the app (" + localReference + "), so its virtualenv is built in "
                + VENV + " and not kept for later builds.");
        Path venv = slug.resolve(VENV);
        log.info("Creating a virtualenv in " + VENV + " with " + interpreter.command() + " (chosen by "
                + interpreter.chosenBy() + ")");
        tools.createVenv(venv, true);
        tools.installRequirements(venv);
        return venv;
    }

    /**
     * The virtualenv from the app's {@link VirtualenvCache} for this interpreter and what
     * {@code decides} its packages (the requirements and index settings, or {@link #WITHOUT_PIP}),
     * built first when it is not there or damaged; the slug's {@value #VENV} links to it. A
     * virtualenv without pip is kept too: {@code venv} takes a tenth of a second, a link nothing.
     */
    private static Path cached(PythonTools tools, Interpreter interpreter, Path python, List<String> decides,
                               boolean withPip, Path slug, Path cacheDirectory, BuildLog log)
            throws BuildException, InterruptedException {
        List<String> parts = new ArrayList<>(List.of(python.toString(), tools.identity()));
        parts.addAll(decides);
        String key = VirtualenvCache.key(parts);
        String these = withPip ? "these requirements" : "an app without requirements";
        Path directory = cacheDirectory.resolve(VENVS);
        try {
            VirtualenvCache cache = VirtualenvCache.open(directory);
            Optional<Path> found = cache.published(key);
            if (found.isPresent() && !VirtualenvCache.whole(found.get())) {
                log.warn("The kept virtualenv for " + these + " is damaged (it has no bin/python); it is built"
                        + " again.");
                cache.discard(key);
                found = Optional.empty();
            }
            Path venv;
            if (found.isPresent()) {
                venv = found.get();
                log.info("Reusing the virtualenv for " + these + " (" + venv + ")");
            } else {
                venv = cache.prepare(key);
                if (withPip) {
                    log.info("Installing requirements into a new virtualenv in " + venv + ", made with "
                            + interpreter.command() + " (chosen by " + interpreter.chosenBy() + ")");
                } else {
                    log.info("Creating a virtualenv without pip in " + venv + " (" + interpreter.command()
                            + " -m venv --without-pip), with " + interpreter.command() + " chosen by "
                            + interpreter.chosenBy());
                }
                install(tools, cache, key, venv, withPip);
            }
            Files.createSymbolicLink(slug.resolve(VENV), venv);
            cache.use(venv, slug);
            evict(cache, venv, log);
            return venv;
        } catch (IOException e) {
            throw new BuildException("The virtualenvs kept in " + directory + " cannot be used: " + e.getMessage()
                    + "; check that the Hop3 user can write there.", e);
        }
    }

    /** Builds the virtualenv and publishes it when it is whole (pip succeeded); else nothing of it is left. */
    private static void install(PythonTools tools, VirtualenvCache cache, String key, Path venv, boolean withPip)
            throws BuildException, InterruptedException, IOException {
        boolean published = false;
        try {
            tools.createVenv(venv, withPip);
            if (withPip) {
                tools.installRequirements(venv);
            }
            cache.publish(key, venv);
            published = true;
        } finally {
            if (!published) {
                try {
                    Trees.delete(venv);
                } catch (IOException e) {
                    // the next build removes it, as nothing links to it
                    LOG.warn("Could not remove the unfinished virtualenv {}: {}", venv, e.getMessage());
                }
            }
        }
    }

    private static void evict(VirtualenvCache cache, Path current, BuildLog log) {
        try {
            for (Path evicted : cache.evict(current)) {
                log.info("Removed the least recently used virtualenv " + evicted.getFileName());
            }
        } catch (IOException e) {
            // the build is fine; the cache is only bigger than it should be
            LOG.warn("Could not remove old virtualenvs from {}: {}", cache.directory(), e.getMessage());
        }
    }

    /** A virtualenv committed to the repository is useless elsewhere (absolute paths): replace it. */
    private static void removeCommittedVenv(Path venv, BuildLog log) throws IOException {
        if (!Files.exists(venv, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        log.warn("The repository contains " + VENV + "; it is replaced by a fresh virtualenv. Add " + VENV
                + " to .gitignore.");
        Trees.delete(venv);
    }
}
