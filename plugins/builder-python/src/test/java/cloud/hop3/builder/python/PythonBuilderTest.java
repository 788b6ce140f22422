package cloud.hop3.builder.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import cloud.hop3.api.build.BuildArtifact;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.Detection;
import cloud.hop3.plugin.support.files.Trees;
import cloud.hop3.plugin.testkit.BuilderTestCase;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.TestBuildCommands;
import cloud.hop3.plugin.testkit.TestFiles;

/** Builds with the real python3 of the machine (on Debian it needs the package python3-venv). */
class PythonBuilderTest extends BuilderTestCase {

    PythonBuilder builder(PythonBuilder.Config config) {
        return new PythonBuilder(config, commands, System.getenv());
    }

    @Test
    void isNamedPython() {
        assertEquals("python", builder(ComponentConfig.of(PythonBuilder.Config.class)).name());
    }

    @Nested
    class Detect {

        @ParameterizedTest
        @ValueSource(strings = {"requirements.txt", "pyproject.toml", "setup.py", "Pipfile"})
        void eachMarkerFileMakesAPythonApp(String marker) throws IOException {
            Files.writeString(source.resolve(marker), "");

            assertEquals(Optional.of(new Detection(100, "found " + marker)), builder(ComponentConfig.of(PythonBuilder.Config.class)).detect(source));
        }

        @Test
        void runtimeTxtMustNamePython() throws IOException {
            Files.writeString(source.resolve("runtime.txt"), "ruby-3.2\n");
            assertEquals(Optional.empty(), builder(ComponentConfig.of(PythonBuilder.Config.class)).detect(source));

            Files.writeString(source.resolve("runtime.txt"), "python-3.11.7\n");
            assertEquals(Optional.of(new Detection(100, "found python in runtime.txt")),
                    builder(ComponentConfig.of(PythonBuilder.Config.class)).detect(source));
        }

        @Test
        void priorityComesFromConfiguration() throws IOException {
            Files.writeString(source.resolve("requirements.txt"), "flask\n");

            assertClaims(builder(ComponentConfig.of(PythonBuilder.Config.class)), new Detection(100, "found requirements.txt"),
                    priority -> builder(ComponentConfig.of(PythonBuilder.Config.class, "priority", priority)));
        }

        @Test
        void otherTreesAreNotClaimed() throws IOException {
            PythonBuilder builder = builder(ComponentConfig.of(PythonBuilder.Config.class));
            assertClaimsOnlyItsFiles(builder, Map.of("requirements.txt", "flask\n", "setup.py", ""),
                    Map.of("app.py", "print('hi')\n"));
        }
    }

    @Nested
    class Build {

        @Test
        void stdlibOnlyAppBuildsOfflineIntoAKeptVirtualenvWithoutPip() throws Exception {
            Files.writeString(slug.resolve("app.py"), "print('hello')\n");
            // an index that cannot answer: the build must not need one
            BuildArtifact artifact = builder(ComponentConfig.of(PythonBuilder.Config.class)).build(request(unreachableIndex()), log);

            assertEquals(List.of("Building with python"), log.steps);
            assertTrue(commands.runs.size() <= 3, "the interpreter is resolved at most and asked its version, then the"
                    + " virtualenv is created: " + commands.runs);
            List<String> venvCommand = commands.runs.get(commands.runs.size() - 1).command();
            assertEquals(List.of("-m", "venv", "--without-pip"), venvCommand.subList(1, 4));
            assertTrue(Path.of(venvCommand.get(0)).isAbsolute(), "the interpreter the search path's python3 runs: "
                    + venvCommand);
            assertTrue(log.infos.contains("No requirements.txt: nothing to install."), log.infos.toString());
            assertEquals(List.of(), log.warnings);
            Path venv = slug.resolve(".venv").toRealPath();
            assertEquals(cache.resolve("venvs").toRealPath(), venv.getParent(), "kept in the app's cache");
            assertEquals(Path.of(venvCommand.get(4)), venv);
            assertTrue(log.infos.contains("Creating a virtualenv without pip in " + venv
                    + " (python3 -m venv --without-pip), with python3 chosen by the builder's configuration"),
                    log.infos.toString());

            assertEquals(venv, Path.of(python(slug, "import sys; print(sys.prefix)")).toRealPath());
            assertEquals("hello", python(slug, "import runpy; runpy.run_path('app.py')"));
            assertFalse(Files.exists(slug.resolve(".venv/bin/pip")), "no pip: nothing to install");
            assertEquals(slug, artifact.slug());
            assertEquals(Map.of(), artifact.runtime().processes());
            assertEquals(List.of(".venv/bin"), artifact.runtime().path());
            assertEquals(Map.of("VIRTUAL_ENV", venv.toString(), "PYTHONUNBUFFERED", "1"), artifact.runtime().env());
            assertEquals(List.of(), artifact.runtime().statics());
        }

        @Test
        void aRedeployWithoutRequirementsLinksTheKeptVirtualenv() throws Exception {
            Files.writeString(slug.resolve("app.py"), "print('hello')\n");
            builder(ComponentConfig.of(PythonBuilder.Config.class)).build(request(Map.of()), log);
            Path venv = slug.resolve(".venv").toRealPath();
            Path next = Files.createDirectory(tmp.resolve("next"));
            Files.writeString(next.resolve("app.py"), "print('hello again')\n");
            Files.writeString(next.resolve("requirements.txt"), "# nothing yet\n");
            commands.runs.clear();
            log.infos.clear();

            BuildArtifact artifact = builder(ComponentConfig.of(PythonBuilder.Config.class)).build(request(next, Map.of()), log);

            assertEquals(1, commands.runs.size(), "only the interpreter is asked its version: " + commands.runs);
            assertEquals(List.of("-I", "-S"), commands.runs.get(0).command().subList(1, 3));
            assertTrue(log.infos.contains("Reusing the virtualenv for an app without requirements (" + venv + ")"),
                    log.infos.toString());
            assertEquals(venv, Files.readSymbolicLink(next.resolve(".venv")));
            assertEquals(venv.toString(), artifact.runtime().env().get("VIRTUAL_ENV"));
            assertEquals("hello again", python(next, "import runpy; runpy.run_path('app.py')"));
            assertEquals("hello", python(slug, "import runpy; runpy.run_path('app.py')"), "the first slug still runs");
        }

        @Test
        void requirementsWithOnlyCommentsRunNoPip() throws Exception {
            Files.writeString(slug.resolve("requirements.txt"), "# no dependencies yet\n\n   \n   # flask==3.0\n");

            builder(ComponentConfig.of(PythonBuilder.Config.class)).build(request(unreachableIndex()), log);

            assertTrue(commands.runs.stream().noneMatch(run -> run.command().contains("pip")
                    || run.command().get(0).endsWith("/pip")), commands.runs.toString());
            assertTrue(commands.runs.get(commands.runs.size() - 1).command().contains("--without-pip"),
                    commands.runs.toString());
            assertTrue(log.infos.contains("Found requirements.txt"), log.infos.toString());
            assertTrue(log.infos.contains("requirements.txt lists no requirements: nothing to install."),
                    log.infos.toString());
        }

        @Test
        void unreachableIndexFailsTheBuildQuicklyWithPipsReason() throws Exception {
            Files.writeString(slug.resolve("requirements.txt"), "# web framework\nsix==1.16.0\n");
            Map<String, String> configVars = unreachableIndex();
            long start = System.nanoTime();

            BuildException e = assertThrows(BuildException.class,
                    () -> builder(ComponentConfig.of(PythonBuilder.Config.class)).build(request(configVars), log));

            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60), "failed within a minute");
            String index = configVars.get("PIP_INDEX_URL");
            assertTrue(e.getMessage().startsWith("pip could not install requirements.txt from " + index + ": "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("No matching distribution found for six==1.16.0"), e.getMessage());
            assertTrue(log.infos.contains("Installing requirements.txt from " + index), log.infos.toString());

            assertEquals(3, commands.runs.size(), "the interpreter, venv, pip: " + commands.runs);
            Path venv = Path.of(commands.runs.get(1).command().get(3));
            assertEquals(cache.resolve("venvs").toRealPath(), venv.getParent());
            TestBuildCommands.Run pip = commands.runs.get(2);
            assertEquals(List.of(venv.resolve("bin/pip").toString(), "install", "--disable-pip-version-check",
                    "-r", "requirements.txt"), pip.command());
            assertEquals(index, pip.env().get("PIP_INDEX_URL"));
            assertEquals("2", pip.env().get("PIP_DEFAULT_TIMEOUT"));
            assertEquals("0", pip.env().get("PIP_RETRIES"));
            assertEquals(cache.resolve("pip").toString(), pip.env().get("PIP_CACHE_DIR"));
            assertEquals(venv.toString(), pip.env().get("VIRTUAL_ENV"));
            assertEquals("/dev/null", pip.env().get("PIP_CONFIG_FILE"));
            assertFalse(pip.env().containsKey("PIP_FIND_LINKS"), "nothing of pip's from the platform");
        }

        @Test
        void requirementsInstallFromTheAppsIndex() throws Exception {
            Files.writeString(slug.resolve("requirements.txt"), "hop3-demo==1.0\n");
            String index = DemoIndex.write(tmp).toUri().toString();

            builder(ComponentConfig.of(PythonBuilder.Config.class, "indexUrl", "http://127.0.0.1:" + closedPort() + "/simple"))
                    .build(request(Map.of("PIP_INDEX_URL", index)), log);

            assertEquals("hello from hop3_demo", python(slug, "import hop3_demo; print(hop3_demo.GREETING)"));
            assertEquals(3, commands.runs.size(), "the interpreter, venv, pip: " + commands.runs);
        }

        @Test
        void leftoversOfOtherToolsAreReplacedOrReported() throws Exception {
            Files.writeString(slug.resolve("pyproject.toml"), "[project]\nname = 'demo'\n");
            Files.createDirectories(slug.resolve(".venv/bin"));
            Files.writeString(slug.resolve(".venv/bin/python"), "not a python");

            builder(ComponentConfig.of(PythonBuilder.Config.class)).build(request(Map.of()), log);

            assertEquals(List.of("The repository contains .venv; it is replaced by a fresh virtualenv. Add .venv to"
                            + " .gitignore.",
                    "pyproject.toml is not installed: this builder installs requirements.txt only; list the app's"
                            + " dependencies there (pip freeze > requirements.txt)."), log.warnings);
            assertEquals(slug.resolve(".venv").toRealPath(), Path.of(python(slug, "import sys; print(sys.prefix)"))
                    .toRealPath(), "a virtualenv that runs in place of the committed one");
            assertTrue(commands.runs.get(commands.runs.size() - 1).command().contains("--without-pip"),
                    commands.runs.toString());
        }

        @Test
        void missingInterpreterIsNamedWithWhatChoseIt() throws IOException {
            Files.writeString(slug.resolve("requirements.txt"), "flask\n");

            BuildException e = assertThrows(BuildException.class, () -> builder(ComponentConfig.of(PythonBuilder.Config.class))
                    .build(request(Map.of("PYTHON_VERSION", "3.99")), log));

            assertTrue(e.getMessage().startsWith("python3.99, chosen by the config var PYTHON_VERSION=3.99, is not"
                    + " installed on this server's search path ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("(on Debian and Ubuntu: apt-get install python3.99 python3.99-venv)."),
                    e.getMessage());
            assertTrue(commands.runs.isEmpty());
        }

        @Test
        void aShimOnTheSearchPathIsGoneThroughOnceNotAtEveryBuild() throws Exception {
            Path count = tmp.resolve("shim-runs");
            Path shim = tmp.resolve("shims/python3");
            TestFiles.executable(shim, "#!/bin/sh\necho run >> " + count + "\nexec python3 \"$@\"\n");
            Files.writeString(slug.resolve("app.py"), "print('hello')\n");
            PythonBuilder builder = builder(ComponentConfig.of(PythonBuilder.Config.class, "python", shim.toString()));

            builder.build(request(Map.of()), log);
            Trees.delete(slug.resolve(".venv"));
            builder.build(request(Map.of()), log);

            assertEquals(1, Files.readAllLines(count).size(), "the shim ran once, to say which interpreter it runs");
            assertEquals("hello", python(slug, "import runpy; runpy.run_path('app.py')"));
        }

        @Test
        void interpreterWithoutVenvSupportGetsAHint() throws IOException {
            Path fake = tmp.resolve("python3-without-venv");
            // it says who it is when asked, as Debian's python3 without python3-venv does, and cannot make a virtualenv
            TestFiles.executable(fake, "#!/bin/sh\ncase \"$*\" in\n  *repr*) echo \"('$0', '3.11.2')\"; exit 0 ;;\n"
                    + "  *executable*) echo \"$0\"; exit 0 ;;\nesac\n"
                    + "echo 'The virtual environment was not created successfully because ensurepip is not available.'\n"
                    + "exit 1\n");

            BuildException e = assertThrows(BuildException.class,
                    () -> builder(ComponentConfig.of(PythonBuilder.Config.class, "python", fake.toString())).build(request(Map.of()), log));

            assertEquals(fake + " cannot create virtualenvs on this server: its venv module or ensurepip is missing."
                    + " On Debian and Ubuntu, install the package python3-venv.", e.getMessage());
        }
    }

    @Nested
    class KeptVirtualenvs {

        IndexServer index;

        @BeforeEach
        void startIndex() throws IOException {
            index = new IndexServer(DemoIndex.write(tmp).getParent());
        }

        @AfterEach
        void stopIndex() {
            index.close();
        }

        @Test
        void aSecondBuildWithTheSameRequirementsReusesTheVirtualenvWithoutPip() throws Exception {
            Path first = slug("first", "# the demo\nhop3-demo==1.0\n");
            build(first);
            assertTrue(log.infos.stream().anyMatch(line -> line.startsWith("Installing requirements")), log.infos.toString());
            int requests = index.requests().size();
            assertTrue(requests > 0, "pip asked the index");
            Path venv = first.resolve(".venv").toRealPath();
            assertEquals(cache.resolve("venvs").toRealPath(), venv.getParent());
            log.infos.clear();
            commands.runs.clear();

            Path second = slug("second", "hop3-demo==1.0   # pinned\n");
            BuildArtifact artifact = build(second);

            assertTrue(log.infos.contains("Reusing the virtualenv for these requirements (" + venv + ")"),
                    log.infos.toString());
            assertFalse(log.infos.stream().anyMatch(line -> line.startsWith("Installing requirements")), log.infos.toString());
            assertEquals(1, commands.runs.size(), "only the interpreter is asked its version: " + commands.runs);
            assertEquals(List.of("-I", "-S"), commands.runs.get(0).command().subList(1, 3));
            assertTrue(Path.of(commands.runs.get(0).command().get(0)).isAbsolute(),
                    "the executable python3 runs, resolved by the first build: " + commands.runs);
            assertEquals(requests, index.requests().size(), "the index saw no second build");
            assertTrue(Files.isSymbolicLink(second.resolve(".venv")));
            assertEquals(venv, Files.readSymbolicLink(second.resolve(".venv")));
            assertEquals(Map.of("VIRTUAL_ENV", venv.toString(), "PYTHONUNBUFFERED", "1"), artifact.runtime().env());
            assertEquals(List.of(".venv/bin"), artifact.runtime().path());
            assertEquals("hello from hop3_demo", python(second, "import hop3_demo; print(hop3_demo.GREETING)"));
            assertEquals(List.of(), log.warnings);
        }

        @Test
        void changedRequirementsOrIndexSettingsBuildANewVirtualenv() throws Exception {
            Path first = slug("first", "hop3-demo==1.0\n");
            build(first);
            Path second = slug("second", "hop3-demo\n");
            build(second);
            Path third = slug("third", "hop3-demo\n");
            build(third, Map.of("PIP_INDEX_URL", index.url(), "PIP_EXTRA_INDEX_URL", index.url() + "/../simple"));

            List<Path> venvs = List.of(first.resolve(".venv").toRealPath(), second.resolve(".venv").toRealPath(),
                    third.resolve(".venv").toRealPath());
            assertEquals(3, Set.copyOf(venvs).size(), venvs.toString());
            assertEquals(3, pipRuns(), commands.runs.toString());
            assertFalse(log.infos.stream().anyMatch(line -> line.startsWith("Reusing")), log.infos.toString());
            for (Path slug : List.of(first, second, third)) {
                assertEquals("hello from hop3_demo", python(slug, "import hop3_demo; print(hop3_demo.GREETING)"));
            }
        }

        @Test
        void aFailedInstallLeavesNoVirtualenvBehind() throws Exception {
            Path failed = slug("failed", "hop3-demo==9.9\n");

            BuildException e = assertThrows(BuildException.class, () -> build(failed));

            assertTrue(e.getMessage().contains("No matching distribution found for hop3-demo==9.9"), e.getMessage());
            assertEquals(List.of(), entries(cache.resolve("venvs")), "nothing kept");
            assertFalse(Files.exists(failed.resolve(".venv"), LinkOption.NOFOLLOW_LINKS));

            Path fixed = slug("fixed", "hop3-demo==1.0\n");
            build(fixed);
            assertEquals("hello from hop3_demo", python(fixed, "import hop3_demo; print(hop3_demo.GREETING)"));
        }

        @Test
        void anInterruptedInstallLeavesNoVirtualenvBehind() throws Exception {
            commands.interruptAt = "pip";
            Path stopped = slug("stopped", "hop3-demo==1.0\n");

            assertThrows(InterruptedException.class, () -> build(stopped));

            assertEquals(List.of(), entries(cache.resolve("venvs")), "nothing kept");
            commands.interruptAt = null;
            Path next = slug("next", "hop3-demo==1.0\n");
            build(next);
            assertFalse(log.infos.stream().anyMatch(line -> line.startsWith("Reusing")), log.infos.toString());
            assertEquals("hello from hop3_demo", python(next, "import hop3_demo; print(hop3_demo.GREETING)"));
        }

        @Test
        void aDamagedKeptVirtualenvIsBuiltAgain() throws Exception {
            Path first = slug("first", "hop3-demo==1.0\n");
            build(first);
            Path venv = first.resolve(".venv").toRealPath();
            Files.delete(venv.resolve("bin/python"));

            Path second = slug("second", "hop3-demo==1.0\n");
            build(second);

            assertEquals(List.of("The kept virtualenv for these requirements is damaged (it has no bin/python); it is"
                    + " built again."), log.warnings);
            assertEquals(2, pipRuns(), commands.runs.toString());
            assertFalse(Files.exists(venv), "the damaged one is gone");
            assertEquals("hello from hop3_demo", python(second, "import hop3_demo; print(hop3_demo.GREETING)"));
        }

        @Test
        void fiveVirtualenvsAreKeptTheLeastRecentlyUsedGoes() throws Exception {
            VirtualenvCache kept = VirtualenvCache.open(cache.resolve("venvs"));
            List<Path> old = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String key = VirtualenvCache.key(List.of("older requirements " + i));
                Path venv = kept.prepare(key);
                Files.createDirectories(venv.resolve("bin"));
                Files.writeString(venv.resolve("pyvenv.cfg"), "");
                Files.createSymbolicLink(venv.resolve("bin/python"), Path.of("/bin/sh"));
                kept.publish(key, venv);
                kept.use(venv, tmp.resolve("removed-build-" + i));
                Files.setLastModifiedTime(venv.resolve(VirtualenvCache.USERS), FileTime.fromMillis(1_000_000L * (i + 1)));
                old.add(venv);
            }

            Path current = slug("current", "hop3-demo==1.0\n");
            build(current);

            assertTrue(log.infos.contains("Removed the least recently used virtualenv " + old.get(0).getFileName()),
                    log.infos.toString());
            assertFalse(Files.exists(old.get(0)));
            List<Path> left = new ArrayList<>(old.subList(1, 5));
            left.add(current.resolve(".venv").toRealPath());
            List<Path> published = new ArrayList<>();
            for (Path entry : entries(cache.resolve("venvs"))) {
                if (Files.isSymbolicLink(entry)) {
                    published.add(entry.toRealPath());
                }
            }
            assertEquals(Set.copyOf(left), Set.copyOf(published));
            assertEquals(5, published.size());
        }

        @Test
        void requirementsThatInstallFilesOfTheAppGetAVirtualenvOfTheirOwn() throws Exception {
            String wheel = "hop3_demo-1.0-py3-none-any.whl";
            Path app = slug("app", "./" + wheel + "\n");
            Files.copy(tmp.resolve("index/simple/hop3-demo").resolve(wheel), app.resolve(wheel));

            BuildArtifact artifact = build(app);

            assertTrue(log.infos.contains("requirements.txt installs files of the app (./" + wheel + "), so its"
                    + " virtualenv is built in .venv and not kept for later builds."), log.infos.toString());
            assertFalse(Files.isSymbolicLink(app.resolve(".venv")));
            assertEquals(app.resolve(".venv").toString(), artifact.runtime().env().get("VIRTUAL_ENV"));
            assertEquals(1, pipRuns(), commands.runs.toString());
            assertEquals("hello from hop3_demo", python(app, "import hop3_demo; print(hop3_demo.GREETING)"));
            assertFalse(Files.exists(cache.resolve("venvs")), "nothing kept");
        }

        Path slug(String name, String requirements) throws IOException {
            Path dir = Files.createDirectory(tmp.resolve(name));
            Files.writeString(dir.resolve("requirements.txt"), requirements);
            return dir;
        }

        BuildArtifact build(Path slug) throws Exception {
            return build(slug, Map.of("PIP_INDEX_URL", index.url()));
        }

        BuildArtifact build(Path slug, Map<String, String> configVars) throws Exception {
            return builder(ComponentConfig.of(PythonBuilder.Config.class)).build(
                    request(slug, configVars), log);
        }

        long pipRuns() {
            return commands.runs.stream().filter(run -> run.command().get(0).endsWith("/bin/pip")).count();
        }
    }

    static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        }
    }

    /** Config vars that point pip at a port where nothing listens, and give up at once. */
    static Map<String, String> unreachableIndex() throws IOException {
        return Map.of("PIP_INDEX_URL", "http://127.0.0.1:" + closedPort() + "/simple",
                "PIP_DEFAULT_TIMEOUT", "2", "PIP_RETRIES", "0");
    }

    /** Runs the slug's virtualenv python, as the app will, and returns its output. */
    static String python(Path slug, String code) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(slug.resolve(".venv/bin/python").toString(), "-c", code)
                .directory(slug.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
