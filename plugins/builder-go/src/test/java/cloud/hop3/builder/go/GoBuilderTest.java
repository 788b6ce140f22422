package cloud.hop3.builder.go;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import cloud.hop3.api.build.BuildArtifact;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.Detection;
import cloud.hop3.plugin.testkit.BuilderTestCase;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.Programs;
import cloud.hop3.plugin.testkit.RecordingBuildLog;

/** Builds with the real go command of the machine, offline (GOPROXY=off, as configured by default). */
class GoBuilderTest extends BuilderTestCase {

    static final String HELLO = """
            package main

            import (
            \t"fmt"
            \t"os"
            )

            func main() { fmt.Println("hello from go, PORT=" + os.Getenv("PORT")) }
            """;

    final GoBuilder builder = new GoBuilder(ComponentConfig.of(GoBuilder.Config.class), commands, System.getenv());

    @Test
    void isNamedGo() {
        assertEquals("go", builder.name());
    }

    @Nested
    class Detect {

        @Test
        void goModMakesAGoApp() throws IOException {
            Files.writeString(source.resolve("go.mod"), "module example.com/shop\n");
            Files.writeString(source.resolve("main.go"), HELLO);

            assertClaims(builder, new Detection(100, "found go.mod"), priority -> new GoBuilder(
                    ComponentConfig.of(GoBuilder.Config.class, "priority", priority), commands, Map.of()));
        }

        @Test
        void aGoFileAtTheTopMakesAGoApp() throws IOException {
            Files.writeString(source.resolve("server.go"), HELLO);

            assertEquals(Optional.of(new Detection(100, "found server.go")), builder.detect(source));
        }

        @Test
        void otherTreesAreNotClaimed() throws IOException {
            assertClaimsOnlyItsFiles(builder, Map.of("go.mod", "module x\n", "main.go", HELLO),
                    Map.of("cmd/server/main.go", HELLO));
        }
    }

    @Nested
    class Build {

        @BeforeEach
        void requireTools() {
            Programs.require("go");
        }

        @Test
        void standardLibraryAppWithoutGoModBuildsOfflineAndRuns() throws Exception {
            Files.writeString(slug.resolve("main.go"), HELLO);

            BuildArtifact artifact = builder.build(request(Map.of()), log);

            assertEquals(List.of("Building with go"), log.steps);
            assertEquals(List.of(List.of(go(), "version"), List.of(go(), "mod", "init", "demo"),
                    List.of(go(), "build", "-v", "-modcacherw", "-o", cache + "/bin/", "./...")), commands());
            assertTrue(Files.readString(slug.resolve("go.mod")).startsWith("module demo\n"));
            assertTrue(log.infos.contains("No go.mod: the app is built as module demo (go mod init demo); commit a go.mod"
                    + " to choose the module path and Go version"), log.infos.toString());
            assertTrue(log.infos.stream().anyMatch(line -> line.startsWith("go version go1.")), log.infos.toString());
            assertEquals(Map.of("web", "bin/demo"), artifact.runtime().processes());
            assertEquals(List.of("bin"), artifact.runtime().path());
            assertEquals(Map.of(), artifact.runtime().env());
            assertEquals(slug, artifact.slug());
            assertTrue(log.infos.contains("Default web process: bin/demo (a Procfile line for web wins)"), log.infos.toString());

            ProcessBuilder binary = new ProcessBuilder(slug.resolve("bin/demo").toString()).redirectErrorStream(true);
            binary.environment().put("PORT", "5001");
            Process run = binary.start();
            String output = new String(run.getInputStream().readAllBytes()).strip();
            assertTrue(run.waitFor(30, TimeUnit.SECONDS));
            assertEquals("hello from go, PORT=5001", output);
        }

        @Test
        void goRunsWithTheAppsCachesOfflineAndNothingOfThePlatform() throws Exception {
            Files.writeString(slug.resolve("main.go"), HELLO);
            GoBuilder withSecrets = new GoBuilder(ComponentConfig.of(GoBuilder.Config.class), commands,
                    Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("java.io.tmpdir"),
                            "HOP3_SECRET", "no", "GOFLAGS", "-tags=platform"));

            withSecrets.build(request(Map.of("DATABASE_URL", "postgres://x", "CGO_ENABLED", "0")), log);

            Map<String, String> env = commands.runs.get(2).env();
            assertEquals(cache.resolve("build").toString(), env.get("GOCACHE"));
            assertEquals(cache.resolve("mod").toString(), env.get("GOMODCACHE"));
            assertEquals(cache.resolve("gopath").toString(), env.get("GOPATH"));
            assertEquals("off", env.get("GOPROXY"));
            assertEquals("-mod=mod", env.get("GOFLAGS"));
            assertEquals("off", env.get("GOENV"));
            assertEquals("0", env.get("CGO_ENABLED"), "the app's cgo choice");
            assertEquals(cache.resolve("app").toString(), env.get("PWD"));
            assertFalse(env.containsKey("HOP3_SECRET"));
            assertFalse(env.containsKey("DATABASE_URL"));
            assertTrue(Files.isSymbolicLink(cache.resolve("app")));
            assertEquals(slug, Files.readSymbolicLink(cache.resolve("app")));
            assertTrue(log.infos.contains("Module demo, modules from GOPROXY=off"), log.infos.toString());
        }

        @Test
        void secondBuildOfUnchangedCodeTakesEveryPackageFromTheCache() throws Exception {
            writeAppWithALocalPackage(slug, "one");

            builder.build(request(Map.of()), log);

            assertTrue(log.infos.contains("Starting the app's Go build cache: the next builds reuse what this one compiles"),
                    log.infos.toString());
            assertTrue(compiled(log) >= 2, "the app and its package are compiled: " + log.infos);

            Path next = Files.createDirectory(tmp.resolve("slug2"));
            writeAppWithALocalPackage(next, "one");
            RecordingBuildLog second = new RecordingBuildLog();
            builder.build(request(next, Map.of()), second);

            assertTrue(second.infos.contains("Reusing the app's Go build cache: packages that did not change are not"
                    + " compiled again"), second.infos.toString());
            assertTrue(second.infos.stream().anyMatch(line -> line.matches("go compiled no package in [0-9.]+ s: every"
                    + " package came from the app's Go build cache")), second.infos.toString());
            assertTrue(Files.isExecutable(next.resolve("bin/demo")));
            assertFalse(Files.isSameFile(slug.resolve("bin/demo"), next.resolve("bin/demo")), "each slug has its own copy");
            assertEquals(next, Files.readSymbolicLink(cache.resolve("app")));

            Path changed = Files.createDirectory(tmp.resolve("slug3"));
            writeAppWithALocalPackage(changed, "two");
            RecordingBuildLog third = new RecordingBuildLog();
            builder.build(request(changed, Map.of()), third);

            assertTrue(third.infos.stream().anyMatch(line -> line.matches("go compiled [0-9]+ packages? in [0-9.]+ s;"
                    + " the others came from the app's Go build cache")), third.infos.toString());
            assertTrue(third.infos.contains("demo/greeting"), "the changed package is compiled again: " + third.infos);
        }

        @Test
        void commandsOfTheModuleGoToBinAndTheRootOneIsTheWebProcess() throws Exception {
            Files.writeString(slug.resolve("go.mod"), "module example.com/shop/v2\n\ngo 1.19\n");
            Files.writeString(slug.resolve("main.go"), HELLO);
            Files.createDirectories(slug.resolve("cmd/worker"));
            Files.writeString(slug.resolve("cmd/worker/main.go"), "package main\n\nfunc main() {}\n");
            Files.createDirectories(slug.resolve("bin"));
            Files.writeString(slug.resolve("bin/notes.txt"), "committed\n");

            BuildArtifact artifact = builder.build(request(Map.of()), log);

            assertTrue(Files.isExecutable(slug.resolve("bin/shop")));
            assertTrue(Files.isExecutable(slug.resolve("bin/worker")));
            assertEquals("committed\n", Files.readString(slug.resolve("bin/notes.txt")));
            assertTrue(log.infos.contains("Built bin/shop, bin/worker"), log.infos.toString());
            assertEquals(Map.of("web", "bin/shop"), artifact.runtime().processes());
            assertEquals(2, commands.runs.size(), "no go mod init with a go.mod: " + commands());

            Path withoutWorker = Files.createDirectory(tmp.resolve("without-worker"));
            Files.writeString(withoutWorker.resolve("go.mod"), "module example.com/shop/v2\n\ngo 1.19\n");
            Files.writeString(withoutWorker.resolve("main.go"), HELLO);
            RecordingBuildLog next = new RecordingBuildLog();
            builder.build(request(withoutWorker, Map.of()),
                    next);
            assertTrue(next.infos.contains("Built bin/shop"), "a command the app no longer has is not copied: " + next.infos);
            assertFalse(Files.exists(withoutWorker.resolve("bin/worker")));
        }

        @Test
        void theOnlyCommandIsTheWebProcessAndSeveralOthersAreLeftToTheProcfile() throws Exception {
            Files.writeString(slug.resolve("go.mod"), "module example.com/site\n\ngo 1.19\n");
            Files.createDirectories(slug.resolve("cmd/server"));
            Files.writeString(slug.resolve("cmd/server/main.go"), HELLO);

            assertEquals(Map.of("web", "bin/server"), builder.build(request(Map.of()), log).runtime().processes());

            Path other = Files.createDirectory(tmp.resolve("other"));
            Files.writeString(other.resolve("go.mod"), "module example.com/site\n\ngo 1.19\n");
            for (String name : List.of("api", "jobs")) {
                Files.createDirectories(other.resolve("cmd/" + name));
                Files.writeString(other.resolve("cmd/" + name + "/main.go"), HELLO);
            }
            RecordingBuildLog otherLog = new RecordingBuildLog();
            BuildArtifact several = builder.build(
                    request(other, Map.of()), otherLog);

            assertEquals(Map.of(), several.runtime().processes());
            assertTrue(otherLog.infos.contains("No default web process among several commands; add one to the Procfile,"
                    + " such as web: bin/api"), otherLog.infos.toString());
        }

        @Test
        void aModuleOfTheRepositoryAndVendoredModulesBuildOffline() throws Exception {
            Files.writeString(slug.resolve("go.mod"), "module example.com/app\n\ngo 1.19\n\n"
                    + "require example.com/greet v0.0.0\n\nreplace example.com/greet => ./greet\n");
            Files.createDirectories(slug.resolve("greet"));
            Files.writeString(slug.resolve("greet/go.mod"), "module example.com/greet\n\ngo 1.19\n");
            Files.writeString(slug.resolve("greet/greet.go"), "package greet\n\nfunc Hello() string { return \"hi\" }\n");
            Files.writeString(slug.resolve("main.go"), "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/greet\"\n)\n\n"
                    + "func main() { fmt.Println(greet.Hello()) }\n");

            assertEquals(Map.of("web", "bin/app"), builder.build(request(Map.of()), log).runtime().processes());

            Path vendored = Files.createDirectory(tmp.resolve("vendored"));
            Files.writeString(vendored.resolve("go.mod"), "module example.com/v\n\ngo 1.19\n\nrequire example.com/greet v1.0.0\n");
            Files.createDirectories(vendored.resolve("vendor/example.com/greet"));
            Files.writeString(vendored.resolve("vendor/modules.txt"), "# example.com/greet v1.0.0\n## explicit\nexample.com/greet\n");
            Files.writeString(vendored.resolve("vendor/example.com/greet/greet.go"),
                    "package greet\n\nfunc Hello() string { return \"vendored\" }\n");
            Files.copy(slug.resolve("main.go"), vendored.resolve("main.go"));
            commands.runs.clear();
            RecordingBuildLog vendoredLog = new RecordingBuildLog();
            builder.build(request(vendored, Map.of()),
                    vendoredLog);

            assertTrue(Files.isExecutable(vendored.resolve("bin/v")));
            assertFalse(commands.runs.get(1).env().containsKey("GOFLAGS"), "go's default, -mod=vendor");
            assertTrue(vendoredLog.infos.contains("Module example.com/v, with the modules of vendor/"), vendoredLog.infos.toString());
        }

        @Test
        void compileErrorFailsTheBuildWithTheCompilersLines() throws IOException {
            Files.writeString(slug.resolve("main.go"), "package main\n\nfunc main() {\n\tnope()\n\tx := 1\n}\n");

            BuildException e = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));

            assertTrue(e.getMessage().startsWith("The Go code does not compile: ./main.go:4:2: undefined: nope"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("\n  ./main.go:5:2: "), e.getMessage());
            assertFalse(e.getMessage().contains(cache.toString()), "no build directory in the message: " + e.getMessage());
            assertFalse(Files.exists(slug.resolve("bin/demo")));
        }

        @Test
        void aMissingModuleWithDownloadsOffSaysWhatToDo() throws IOException {
            Files.writeString(slug.resolve("go.mod"), "module example.com/d\n\ngo 1.19\n\nrequire github.com/nobody/nothing v1.2.3\n");
            Files.writeString(slug.resolve("main.go"), "package main\n\nimport _ \"github.com/nobody/nothing\"\n\nfunc main() {}\n");

            BuildException e = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));

            assertTrue(e.getMessage().startsWith("go could not get the modules the app needs (github.com/nobody/nothing"
                    + " v1.2.3): "), e.getMessage());
            assertTrue(e.getMessage().contains("Downloading modules is off (GOPROXY=off): vendor them (go mod vendor"),
                    e.getMessage());
        }

        @Test
        void theAppsGoproxyConfigVarIsTheModuleProxy() throws IOException {
            Files.writeString(slug.resolve("go.mod"), "module example.com/d\n\ngo 1.19\n\nrequire github.com/nobody/nothing v1.2.3\n");
            Files.writeString(slug.resolve("main.go"), "package main\n\nimport _ \"github.com/nobody/nothing\"\n\nfunc main() {}\n");
            String proxy = "http://127.0.0.1:" + closedPort();
            long start = System.nanoTime();

            BuildException e = assertThrows(BuildException.class, () -> builder.build(
                    request(Map.of("GOPROXY", proxy, "GOSUMDB", "off")), log));

            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60), "failed within a minute");
            assertEquals(proxy, commands.runs.get(1).env().get("GOPROXY"));
            assertTrue(e.getMessage().startsWith("go could not get the modules the app needs"), e.getMessage());
            assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
            assertTrue(e.getMessage().contains("The module proxy is " + proxy), e.getMessage());
        }

        @Test
        void anAppWithoutAMainPackageHasNothingToRun() throws IOException {
            Files.writeString(slug.resolve("go.mod"), "module example.com/lib\n\ngo 1.19\n");
            Files.writeString(slug.resolve("lib.go"), "package lib\n\nfunc X() int { return 1 }\n");

            BuildException e = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));

            assertTrue(e.getMessage().startsWith("The app has no main package: "), e.getMessage());
        }

        @Test
        void withoutGoTheBuildSaysHowToInstallIt() throws IOException {
            Files.writeString(slug.resolve("main.go"), HELLO);

            BuildException missing = assertThrows(BuildException.class, () -> new GoBuilder(
                    ComponentConfig.of(GoBuilder.Config.class, "path", "/nonexistent/bin"), commands, System.getenv()).build(request(Map.of()), log));
            BuildException configured = assertThrows(BuildException.class, () -> new GoBuilder(
                    ComponentConfig.of(GoBuilder.Config.class, "go", "/opt/nogo/bin/go"), commands, System.getenv()).build(request(Map.of()), log));

            assertEquals("Go is not installed on this server: there is no go on the search path (/nonexistent/bin)."
                    + " Install it (Debian: apt-get install golang-go), or set the go command of the go builder"
                    + " (configuration cloud.hop3.builder.go).", missing.getMessage());
            assertTrue(configured.getMessage().startsWith("Go is not installed on this server: there is no /opt/nogo/bin/go"
                    + " on the search path (/opt/nogo/bin:"), configured.getMessage());
            assertTrue(commands.runs.isEmpty());
        }

        @Test
        void aFileNamedBinIsRefused() throws IOException {
            Files.writeString(slug.resolve("main.go"), HELLO);
            Files.writeString(slug.resolve("bin"), "a script\n");

            BuildException e = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));

            assertTrue(e.getMessage().startsWith("The app has a file named bin "), e.getMessage());
            assertTrue(commands.runs.isEmpty());
        }
    }

    @Test
    void summaryTellsWhatCameFromTheCache() {
        assertEquals("go compiled no package in 0.3 s: every package came from the app's Go build cache",
                GoBuilder.summary(0, true, Duration.ofMillis(310)));
        assertEquals("go compiled 1 package in 1.5 s; the others came from the app's Go build cache",
                GoBuilder.summary(1, true, Duration.ofMillis(1500)));
        assertEquals("go compiled 12 packages in 4.0 s", GoBuilder.summary(12, false, Duration.ofSeconds(4)));
    }

    static void writeAppWithALocalPackage(Path dir, String greeting) throws IOException {
        Files.writeString(dir.resolve("go.mod"), "module demo\n\ngo 1.19\n");
        Files.createDirectories(dir.resolve("greeting"));
        Files.writeString(dir.resolve("greeting/greeting.go"),
                "package greeting\n\nfunc Text() string { return \"" + greeting + "\" }\n");
        Files.writeString(dir.resolve("main.go"), "package main\n\nimport (\n\t\"fmt\"\n\n\t\"demo/greeting\"\n)\n\n"
                + "func main() { fmt.Println(greeting.Text()) }\n");
    }

    /** How many packages the log says go compiled. */
    static int compiled(RecordingBuildLog log) {
        Pattern summary = Pattern.compile("go compiled ([0-9]+) packages? in .*");
        for (String line : log.infos) {
            Matcher m = summary.matcher(line);
            if (m.matches()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return 0;
    }

    String go() {
        return Programs.require("go").toString();
    }
}
