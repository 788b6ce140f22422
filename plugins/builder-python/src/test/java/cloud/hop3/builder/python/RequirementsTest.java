package cloud.hop3.builder.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequirementsTest {

    @TempDir
    Path tmp;
    Path app;

    @BeforeEach
    void setUp() throws IOException {
        app = Files.createDirectory(tmp.resolve("app"));
    }

    Requirements read(String requirements) throws IOException {
        Files.writeString(app.resolve("requirements.txt"), requirements);
        return Requirements.read(app);
    }

    @Test
    void commentsBlankLinesAndSpacingDoNotCount() throws IOException {
        Requirements plain = read("flask==3.0\ngunicorn==21.2\n");
        Requirements decorated = read("# web\r\n\n   flask==3.0   # pinned\n\t\ngunicorn==21.2\n# end");

        assertEquals(plain, decorated);
        assertEquals("== requirements.txt\nflask==3.0\ngunicorn==21.2\n", plain.normalised());
        assertEquals(Optional.empty(), plain.localReference());
    }

    @Test
    void everyRealChangeCounts() throws IOException {
        String base = read("flask==3.0\n").normalised();

        assertNotEquals(base, read("flask==3.1\n").normalised());
        assertNotEquals(base, read("flask==3.0\nsix\n").normalised());
        assertNotEquals(base, read("--index-url https://mirror.example/simple\nflask==3.0\n").normalised());
        assertNotEquals(base, read("flask==3.0 --hash=sha256:00\n").normalised());
        assertNotEquals(read("a\nb\n").normalised(), read("b\na\n").normalised(), "order is kept, as pip reads it");
        assertNotEquals(read("pkg#egg\n").normalised(), read("pkg\n").normalised(), "# without space is no comment");
    }

    @Test
    void continuedLinesAreJoined() throws IOException {
        assertEquals("== requirements.txt\nflask==3.0 --hash=sha256:00\n",
                read("flask==3.0 \\\n    --hash=sha256:00\n").normalised());
    }

    @Test
    void includedFilesCountWithTheirContent() throws IOException {
        Files.createDirectories(app.resolve("requirements"));
        Files.writeString(app.resolve("requirements/base.txt"), "flask==3.0\n-c constraints.txt\n");
        Files.writeString(app.resolve("requirements/constraints.txt"), "werkzeug<4\n");

        Requirements first = read("-r requirements/base.txt\ngunicorn\n");
        assertEquals("== requirements.txt\n-r requirements/base.txt\n== requirements/base.txt\nflask==3.0\n"
                + "-c constraints.txt\n== requirements/constraints.txt\nwerkzeug<4\ngunicorn\n", first.normalised());
        assertEquals(Optional.empty(), first.localReference());

        Files.writeString(app.resolve("requirements/constraints.txt"), "werkzeug<3\n");
        assertNotEquals(first.normalised(), read("-r requirements/base.txt\ngunicorn\n").normalised());
    }

    @Test
    void anIncludeLoopEnds() throws IOException {
        Files.writeString(app.resolve("other.txt"), "--requirement=requirements.txt\nsix\n");

        Requirements requirements = read("-rother.txt\nflask\n");

        assertEquals("== requirements.txt\n-rother.txt\n== other.txt\n--requirement=requirements.txt\n"
                + "== requirements.txt\nsix\nflask\n", requirements.normalised());
    }

    @Test
    void includesOutsideTheAppOrMissingCannotBeShared() throws IOException {
        assertEquals(Optional.of("-r missing.txt"), read("flask\n-r missing.txt\n").localReference());
        assertEquals(Optional.of("-r ../outside.txt"), read("-r ../outside.txt\n").localReference());

        Path outside = Files.writeString(tmp.resolve("base.txt"), "six\n");
        Files.createSymbolicLink(app.resolve("linked.txt"), outside);
        assertEquals(Optional.of("-r linked.txt"), read("-r linked.txt\n").localReference());
        assertFalse(read("-r linked.txt\n").normalised().contains("six"), "a file outside the app is not read");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-e .", "--editable=./lib", "./lib", ".", "/opt/wheels/demo-1.0-py3-none-any.whl",
        "demo-1.0-py3-none-any.whl", "vendor/demo.tar.gz", "demo @ file:///srv/demo", "demo@file:///srv/demo",
        "file:./demo", "-f ./wheels", "--find-links wheels/", "~/src/demo"})
    void filesOfTheAppCannotBeShared(String line) throws IOException {
        assertTrue(Requirements.installsFiles(line), line);
        assertEquals(Optional.of(line), read("flask\n" + line + "\n").localReference());
    }

    @ParameterizedTest
    @ValueSource(strings = {"flask", "flask[async]>=2.0; python_version >= \"3.8\"", "-e git+https://git.example/demo.git#egg=demo",
        "demo @ https://files.example/demo-1.0-py3-none-any.whl", "git+https://git.example/demo.git@v1#egg=demo",
        "--index-url https://mirror.example/simple", "-f https://wheels.example/", "--pre", "six==1.16.0 --hash=sha256:00"})
    void packagesFromIndexesAndUrlsCanBeShared(String line) {
        assertFalse(Requirements.installsFiles(line), line);
    }
}
