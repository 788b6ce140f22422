package cloud.hop3.builder.generic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import cloud.hop3.api.build.BuildArtifact;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.Detection;
import cloud.hop3.api.build.RuntimeSpec;
import cloud.hop3.plugin.testkit.BuilderTestCase;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.TestFiles;

class GenericBuilderTest extends BuilderTestCase {

    final GenericBuilder builder = new GenericBuilder(ComponentConfig.of(GenericBuilder.Config.class));

    @Test
    void isNamedGeneric() {
        assertEquals("generic", builder.name());
    }

    @Nested
    class Detect {

        @Test
        void webProcessIsClaimedWithALowPriority() throws IOException {
            write(source, "Procfile", "web: ./server --port $PORT\n");

            assertEquals(Optional.of(new Detection(10, "found web in Procfile")), builder.detect(source));
        }

        @ParameterizedTest
        @ValueSource(strings = {"worker: ./consume", "clock: ./tick", "wsgi: app:application"})
        void anyLongRunningProcessCounts(String line) throws IOException {
            write(source, "Procfile", line + "\n");

            assertTrue(builder.detect(source).isPresent(), line);
        }

        @Test
        void namesEveryLongRunningKindOnce() throws IOException {
            write(source, "Procfile", "release: ./migrate\nweb: ./server\nworker: ./a\nworker: ./b\n");

            assertEquals(Optional.of(new Detection(10, "found web, worker in Procfile")), builder.detect(source));
        }

        /** Release, cron and static alone are not enough; comments, blank lines and empty commands are not processes. */
        @ParameterizedTest
        @ValueSource(strings = {"release: ./migrate\ncron: */5 * * * * ./report\nstatic: public\n",
                "# web: ./server\n\n   \nweb:\nnot a process line\n"})
        void procfileWithoutLongRunningProcessIsNotClaimed(String procfile) throws IOException {
            write(source, "Procfile", procfile);

            assertEquals(Optional.empty(), builder.detect(source));
        }

        @Test
        void noProcfileNoClaim() throws IOException {
            write(source, "server.sh", "#!/bin/sh\n");

            assertEquals(Optional.empty(), builder.detect(source));
        }

        @Test
        void procfileThatIsADirectoryOrLeadsOutsideIsIgnored() throws IOException {
            Files.createDirectory(source.resolve("Procfile"));
            assertEquals(Optional.empty(), builder.detect(source));

            Path elsewhere = write(tmp, "Procfile.elsewhere", "web: ./server\n");
            Path other = Files.createDirectory(tmp.resolve("other"));
            Files.createSymbolicLink(other.resolve("Procfile"), elsewhere);
            assertEquals(Optional.empty(), builder.detect(other));
        }

        @Test
        void priorityComesFromConfiguration() throws IOException {
            write(source, "Procfile", "web: ./server\n");

            assertClaims(builder, new Detection(10, "found web in Procfile"),
                    priority -> new GenericBuilder(ComponentConfig.of(GenericBuilder.Config.class, "priority", priority)));
        }

        @Test
        void missingSourceIsNoClaim() {
            assertEquals(Optional.empty(), builder.detect(tmp.resolve("nowhere")));
        }
    }

    @Nested
    class Build {

        @Test
        void logsWhatItFoundAndLeavesTheSlugAsItIs() throws Exception {
            write(slug, "Procfile", "web: ./server\nrelease: ./migrate\n");
            TestFiles.executable(slug.resolve("server"), "#!/bin/sh\n");
            TestFiles.executable(slug.resolve("migrate"), "#!/bin/sh\n");
            List<Path> before = tree(slug);

            BuildArtifact artifact = builder.build(request(Map.of()), log);

            assertEquals(List.of("Building with generic"), log.steps);
            assertEquals(List.of("Procfile line 1: web: ./server", "Procfile line 2: release: ./migrate",
                    "Nothing to install: the commands run as they are."), log.infos);
            assertEquals(List.of(), log.warnings);
            assertEquals(before, tree(slug));
            assertEquals(slug, artifact.slug());
            assertEquals(new RuntimeSpec(Map.of(), Map.of(), List.of(), List.of(), Optional.empty()), artifact.runtime());
        }

        @Test
        void warnsAboutProgramsThatCannotRun() throws Exception {
            write(slug, "Procfile", "web: ./server $PORT\nworker: ./missing\nclock:\n");
            write(slug, "server", "#!/bin/sh\n");

            builder.build(request(Map.of()), log);

            assertEquals(List.of("Procfile line 1 runs ./server, which is not executable; run git update-index"
                            + " --chmod=+x server, commit and push again.",
                    "Procfile line 2 runs ./missing, which is not in the repository.",
                    "Procfile line 3 declares clock with no command; it is ignored."), log.warnings);
        }

        @Test
        void warnsWhenNothingRunsBetweenDeploys() throws Exception {
            write(slug, "Procfile", "cron: 0 3 * * * ./nightly\n");

            builder.build(request(Map.of()), log);

            assertEquals(List.of("The Procfile declares no long-running process (only release, cron or static"
                    + " lines), so nothing of this app runs between deploys."), log.warnings);
        }

        @Test
        void appWithoutProcfileFails() {
            BuildException e = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));

            assertEquals("The app has no Procfile, so there is nothing for the generic builder to run; add a"
                    + " Procfile with a line such as web: ./start-server", e.getMessage());
        }
    }

    static Path write(Path dir, String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    static List<Path> tree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.sorted().toList();
        }
    }
}
