package com.example.hop3.hello;

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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.build.BuildArtifact;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildRequest;
import cloud.hop3.api.build.Detection;

class HelloBuilderTest {

    @TempDir
    Path tmp;
    Path source;
    Path slug;
    final RecordingLog log = new RecordingLog();
    final FakeBuildCommands commands = new FakeBuildCommands();

    @BeforeEach
    void setUp() throws IOException {
        source = Files.createDirectory(tmp.resolve("src"));
        slug = Files.createDirectory(tmp.resolve("slug"));
    }

    @Test
    void detectsHelloTxtWithTheConfiguredPriority() throws IOException {
        Files.writeString(source.resolve("hello.txt"), "hi");
        HelloBuilder builder = new HelloBuilder(new TestConfig(42, "Hello", "python3", 30), commands);
        assertEquals(Optional.of(new Detection(42, "found hello.txt")), builder.detect(source));
        assertEquals(List.of(), commands.runs, "detection runs no process");
    }

    @Test
    void claimsNothingElse() throws IOException {
        HelloBuilder builder = new HelloBuilder(TestConfig.defaults(), commands);
        Files.writeString(source.resolve("index.html"), "<h1>a site</h1>");
        assertEquals(Optional.empty(), builder.detect(source));
        Files.createDirectory(source.resolve("hello.txt"));
        assertEquals(Optional.empty(), builder.detect(source), "a directory named hello.txt");
    }

    @Test
    void ignoresALinkThatLeadsOutOfTheTree() throws IOException {
        Path outside = Files.writeString(tmp.resolve("secret"), "not yours");
        Files.createSymbolicLink(source.resolve("hello.txt"), outside);
        HelloBuilder builder = new HelloBuilder(TestConfig.defaults(), commands);
        assertEquals(Optional.empty(), builder.detect(source));
        BuildException e = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));
        assertTrue(e.getMessage().contains("leads out of the repository"), e.getMessage());
    }

    @Test
    void buildsAPageWithTheGreetingAndTheEscapedText() throws Exception {
        Files.writeString(source.resolve("hello.txt"), "1 < 2 & \"ok\"\n");
        HelloBuilder builder = new HelloBuilder(new TestConfig(100, "Bonjour", "python3", 30), commands);

        BuildArtifact artifact = builder.build(request(Map.of()), log);

        String page = Files.readString(slug.resolve(".hello/index.html"));
        assertTrue(page.contains("<title>demo</title>"), page);
        assertTrue(page.contains("<h1>Bonjour</h1>"), page);
        assertTrue(page.contains("<pre>1 &lt; 2 &amp; &quot;ok&quot;\n</pre>"), page);
        assertEquals(slug, artifact.slug());
        assertEquals(Map.of("web", "python3 -m http.server --bind 127.0.0.1 --directory .hello $PORT"),
                artifact.runtime().processes());
        assertEquals("Bonjour", artifact.runtime().healthCheck().orElseThrow().expectedContent());
        assertEquals("-----> Building with hello", log.lines.get(0));
    }

    @Test
    void theAppsConfigVarWinsOverTheOperatorsGreeting() throws Exception {
        Files.writeString(source.resolve("hello.txt"), "text");
        HelloBuilder builder = new HelloBuilder(TestConfig.defaults(), commands);
        builder.build(request(Map.of("HELLO_GREETING", "Hej <3")), log);
        assertTrue(Files.readString(slug.resolve(".hello/index.html")).contains("<h1>Hej &lt;3</h1>"));
    }

    @Test
    void asksTheInterpreterItsVersionOnThePathOfAppProcessesWithinTheBuildTimeout() throws Exception {
        Files.writeString(source.resolve("hello.txt"), "text");
        HelloBuilder builder = new HelloBuilder(new TestConfig(100, "Hello", "/opt/py/bin/python3", 30), commands);
        builder.build(request(Map.of(), Duration.ofSeconds(5)), log);

        FakeBuildCommands.Run run = commands.runs.get(0);
        assertEquals(List.of("/opt/py/bin/python3", "--version"), run.command());
        assertEquals("/usr/local/bin:/usr/bin:/bin", run.env().get("PATH"));
        assertEquals(Duration.ofSeconds(5), run.timeout(), "the build's limit is shorter than the check's");
        assertEquals(slug, run.directory());
        assertTrue(log.lines.contains("       Python 3.11.2"), log.lines.toString());
    }

    @Test
    void aMissingInterpreterFailsTheBuildAndSaysWhich() throws IOException {
        Files.writeString(source.resolve("hello.txt"), "text");
        HelloBuilder builder = new HelloBuilder(new TestConfig(100, "Hello", "python9", 30), commands.notOnPath());
        BuildException e = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));
        assertTrue(e.getMessage().startsWith("The hello builder serves the page with python9, which could not be run:"
                + " Could not start `python9 --version`: python9 is not on the PATH"), e.getMessage());
        assertFalse(Files.exists(slug.resolve(".hello")), "nothing was written");
    }

    @Test
    void refusesTextThatIsTooLargeOrNotUtf8() throws IOException {
        HelloBuilder builder = new HelloBuilder(TestConfig.defaults(), commands);
        Files.write(source.resolve("hello.txt"), new byte[HelloPage.MAX_BYTES + 1]);
        BuildException big = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));
        assertEquals("hello.txt has 65537 bytes; the hello builder takes at most 65536.", big.getMessage());

        Files.write(source.resolve("hello.txt"), new byte[] {'h', 'i', (byte) 0xff});
        BuildException latin = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));
        assertEquals("hello.txt is not UTF-8 text; save it as UTF-8.", latin.getMessage());
        assertEquals(List.of(), commands.runs, "no tool ran for a bad file");
    }

    @Test
    void refusesAnEmptyGreeting() throws IOException {
        Files.writeString(source.resolve("hello.txt"), "text");
        HelloBuilder builder = new HelloBuilder(TestConfig.defaults(), commands);
        BuildException e = assertThrows(BuildException.class,
                () -> builder.build(request(Map.of("HELLO_GREETING", " ")), log));
        assertTrue(e.getMessage().contains("HELLO_GREETING"), e.getMessage());
    }

    private BuildRequest request(Map<String, String> env) {
        return request(env, Duration.ofMinutes(15));
    }

    private BuildRequest request(Map<String, String> env, Duration timeout) {
        return new BuildRequest(AppName.of("demo"), source, slug, tmp.resolve("cache"), env, timeout);
    }
}
