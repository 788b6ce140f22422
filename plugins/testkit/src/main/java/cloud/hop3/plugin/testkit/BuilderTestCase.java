package cloud.hop3.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.build.BuildRequest;
import cloud.hop3.api.build.Builder;
import cloud.hop3.api.build.Detection;

/**
 * What the tests of a builder start from: a pushed source tree, a slug and a cache directory in
 * a fresh temporary directory, a log that records, build commands that run real processes and
 * record them, and requests to build app {@value #APP} from these directories.
 */
public abstract class BuilderTestCase {

    /** The name of the app the requests build. */
    public static final String APP = "demo";
    /** The time limit of the requests' builds. */
    public static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    protected Path tmp;
    /** The pushed source tree ({@code src}), empty at first. */
    protected Path source;
    /** The slug directory ({@code slug}), empty at first; builders build in it. */
    protected Path slug;
    /** The app's cache directory ({@code cache}), empty at first. */
    protected Path cache;
    protected final RecordingBuildLog log = new RecordingBuildLog();
    protected final TestBuildCommands commands = new TestBuildCommands();

    @BeforeEach
    void createBuildDirectories() throws IOException {
        source = Files.createDirectory(tmp.resolve("src"));
        slug = Files.createDirectory(tmp.resolve("slug"));
        cache = Files.createDirectory(tmp.resolve("cache"));
    }

    /** A request to build the slug directory with these config vars. */
    protected BuildRequest request(Map<String, String> configVars) {
        return request(slug, configVars);
    }

    /** A request to build into another slug directory (a next release), with the same cache. */
    protected BuildRequest request(Path slugDirectory, Map<String, String> configVars) {
        return new BuildRequest(AppName.of(APP), source, slugDirectory, cache, configVars, BUILD_TIMEOUT);
    }

    /** The command lines run so far, in order. */
    protected List<List<String>> commands() {
        return commands.runs.stream().map(TestBuildCommands.Run::command).toList();
    }

    /**
     * Asserts that {@code builder} claims the source tree, as it is, with {@code expected}; and that
     * the builder {@code configured} makes, with the priority it is given in its configuration,
     * claims it for the same reason with that priority.
     */
    protected void assertClaims(Builder builder, Detection expected, IntFunction<Builder> configured) {
        assertEquals(Optional.of(expected), builder.detect(source));
        int priority = expected.priority() + 7;
        assertEquals(Optional.of(new Detection(priority, expected.reason())), configured.apply(priority).detect(source),
                "the configured priority");
    }

    /**
     * Asserts what every builder claims: files at the top of the app, inside it. So
     * {@code builder} claims neither a missing source tree nor the empty one; nor the source tree
     * holding {@code others} (path to content, in subdirectories too) and directories named like
     * its {@code markers}; nor an app whose {@code markers} (name to content) are links to files
     * outside it. Detecting runs no command.
     */
    protected void assertClaimsOnlyItsFiles(Builder builder, Map<String, String> markers, Map<String, String> others)
            throws IOException {
        assertEquals(Optional.empty(), builder.detect(tmp.resolve("nowhere")), "a missing tree claims nothing");
        assertEquals(Optional.empty(), builder.detect(source), "an empty tree claims nothing");
        TestFiles.write(source, others);
        for (String marker : markers.keySet()) {
            Files.createDirectories(source.resolve(marker));
        }
        assertEquals(Optional.empty(), builder.detect(source), "only files at the top claim an app");
        Path linked = Files.createDirectory(tmp.resolve("linked"));
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        for (Map.Entry<String, String> file : markers.entrySet()) {
            Files.createSymbolicLink(linked.resolve(file.getKey()),
                    Files.writeString(outside.resolve(file.getKey()), file.getValue()));
        }
        assertEquals(Optional.empty(), builder.detect(linked), "links out of the app claim nothing");
        assertTrue(commands.runs.isEmpty(), "detection runs nothing");
    }

    /** A local port where nothing listens (it was free a moment ago), for unreachable servers. */
    protected static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
