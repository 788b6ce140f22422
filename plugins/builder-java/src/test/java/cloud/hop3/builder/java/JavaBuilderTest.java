package cloud.hop3.builder.java;

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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.build.BuildArtifact;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildRequest;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.RecordingBuildLog;
import cloud.hop3.plugin.testkit.TestBuildCommands;
import cloud.hop3.plugin.testkit.WebProcess;
import cloud.hop3.plugin.testkit.TestFiles;

/**
 * Builds with the machine's real Maven and JDK. The app's cache is shared by the tests of this
 * class, as it is by the builds of one app: the first build downloads Maven's plugins from Maven
 * Central into it, the next ones reuse them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JavaBuilderTest {

    @TempDir
    static Path cache;
    @TempDir
    Path tmp;
    Path source;
    Path slug;
    final RecordingBuildLog log = new RecordingBuildLog();
    final TestBuildCommands commands = new TestBuildCommands();
    final JavaBuilder builder = new JavaBuilder(ComponentConfig.of(JavaBuilder.Config.class), commands, System.getenv());

    @BeforeEach
    void setUp() throws IOException {
        source = Files.createDirectory(tmp.resolve("src"));
        slug = Files.createDirectory(tmp.resolve("slug"));
    }

    @Test
    @Order(1)
    void mavenBuildsARunnableJarAndTheNextBuildDownloadsNothing() throws Exception {
        writeApp(slug, "v1");

        BuildArtifact artifact = builder.build(request(slug), log);

        assertEquals(List.of("Building with java"), log.steps);
        Path repository = cache.resolve("maven/repository");
        assertEquals(List.of(List.of("mvn", "-B", "-q", "-Dmaven.repo.local=" + repository, "package", "-DskipTests")),
                commands());
        assertTrue(log.infos.stream().anyMatch(l -> l.matches("Maven downloaded \\d+ files \\(.* MB\\) into the app's"
                + " cache; builds with the same dependencies reuse them")), log.infos.toString());
        assertTrue(Files.isDirectory(repository.resolve("org/apache/maven/plugins")), "Maven's plugins are in the app's cache");
        String web = "\"$JAVA_HOME/bin/java\" $JAVA_OPTS -jar target/hello-1.0.jar";
        assertEquals(Map.of("web", web), artifact.runtime().processes());
        assertTrue(log.infos.contains("Runnable jar: target/hello-1.0.jar (main class demo.Hello)"), log.infos.toString());
        assertTrue(log.infos.contains("Default web process: " + web + " (a Procfile line for web wins); the app must"
                + " listen on $PORT"), log.infos.toString());
        assertEquals(List.of(), artifact.runtime().path());
        String javaHome = artifact.runtime().env().get("JAVA_HOME");
        assertTrue(Files.isExecutable(Path.of(javaHome, "bin/java")), javaHome);
        assertEquals("hello v1, greeting=bonjour", serve(slug, web, javaHome, "-Dgreeting=bonjour"));

        Path second = Files.createDirectory(tmp.resolve("slug2"));
        writeApp(second, "v2");
        RecordingBuildLog secondLog = new RecordingBuildLog();

        builder.build(request(second), secondLog);

        assertTrue(secondLog.infos.stream().anyMatch(l -> l.startsWith("Maven downloaded nothing: the app's cache had"
                + " all it needed (")), secondLog.infos.toString());
        assertEquals("hello v2, greeting=none", serve(second, web, javaHome, ""));
    }

    @Test
    @Order(2)
    void compileErrorFailsTheBuildWithTheCompilersMessage() throws IOException {
        writeApp(slug, "broken");
        Path hello = slug.resolve("src/main/java/demo/Hello.java");
        Files.writeString(hello, Files.readString(hello).replace("server.start();", "server.start()"));

        BuildException e = assertThrows(BuildException.class, () -> builder.build(request(slug), log));

        assertTrue(e.getMessage().matches("Maven could not build the app: src/main/java/demo/Hello\\.java:\\d+:\\d+:"
                + " ';' expected"), e.getMessage());
        assertTrue(log.infos.stream().anyMatch(l -> l.contains("';' expected")), "the compiler's output is streamed");
        assertFalse(log.infos.stream().anyMatch(l -> l.contains("\u001B")), "without terminal codes: " + log.infos);
    }

    @Test
    @Order(2)
    void mavenWrapperOfTheAppRunsInsteadOfMvn() throws Exception {
        writeApp(slug, "wrapped");
        TestFiles.executable(slug.resolve("mvnw"),
                "#!/bin/sh\necho \"the app's wrapper, MAVEN_USER_HOME=$MAVEN_USER_HOME\"\nexec mvn \"$@\"\n");

        BuildArtifact artifact = builder.build(request(slug), log);

        assertEquals("./mvnw", commands().get(0).get(0));
        assertTrue(log.infos.contains("the app's wrapper, MAVEN_USER_HOME=" + cache.resolve("maven")), log.infos.toString());
        assertEquals(1, artifact.runtime().processes().size());
    }

    @Test
    @Order(2)
    void missingMavenSaysWhatToInstall() throws IOException {
        writeApp(slug, "v1");
        JavaBuilder noMaven = new JavaBuilder(ComponentConfig.of(JavaBuilder.Config.class, "mvn", "/nonexistent/bin/mvn"), commands,
                System.getenv());

        BuildException e = assertThrows(BuildException.class, () -> noMaven.build(request(slug), log));

        assertTrue(e.getMessage().startsWith("Maven is not installed on this server (Debian: apt-get install maven) and"
                + " the app has no Maven wrapper (mvnw). Could not start `/nonexistent/bin/mvn"), e.getMessage());
    }

    @Test
    @Order(2)
    void gradleRunsTheAppsWrapperWithItsCacheInTheApps() throws Exception {
        Files.writeString(slug.resolve("build.gradle"), "plugins { id 'application' }\n");
        Path prebuilt = Jars.runnable(tmp.resolve("prebuilt.jar"), "demo.Hello");
        TestFiles.executable(slug.resolve("gradlew"), "#!/bin/sh\necho \"gradle $* GRADLE_USER_HOME=$GRADLE_USER_HOME\"\n"
                + "mkdir -p build/libs && cp '" + prebuilt + "' build/libs/demo-1.0.jar\n");

        BuildArtifact artifact = builder.build(request(slug), log);

        assertEquals(List.of(List.of("./gradlew", "--no-daemon", "--console=plain", "-q", "build", "-x", "test")), commands());
        assertTrue(log.infos.contains("gradle --no-daemon --console=plain -q build -x test GRADLE_USER_HOME="
                + cache.resolve("gradle")), log.infos.toString());
        assertEquals(Map.of("web", "\"$JAVA_HOME/bin/java\" $JAVA_OPTS -jar build/libs/demo-1.0.jar"),
                artifact.runtime().processes());
    }

    @Test
    @Order(2)
    void gradleWithoutWrapperFailsBeforeAnythingRuns() throws IOException {
        Files.writeString(slug.resolve("build.gradle.kts"), "plugins { java }\n");

        BuildException e = assertThrows(BuildException.class, () -> builder.build(request(slug), log));

        assertEquals("The app has build.gradle.kts but no Gradle wrapper (gradlew), and this server runs no Gradle of its"
                + " own. Add the wrapper (gradle wrapper), commit gradlew and gradle/wrapper/, and push again.",
                e.getMessage());
        assertEquals(List.of(), commands.runs);
    }

    @Test
    void declaredWebProcessNeedsNoRunnableJar() throws Exception {
        Jars.write(slug.resolve("target/lib-1.0.jar"), Map.of("Created-By", "Maven"));
        JavaProject maven = new JavaProject(JavaProject.Tool.MAVEN, "pom.xml", false);

        BuildException e = assertThrows(BuildException.class, () -> JavaBuilder.defaultProcesses(maven, slug, log));
        assertTrue(e.getMessage().startsWith("No jar in target/ says which class to run"), e.getMessage());

        Files.writeString(slug.resolve("Procfile"), "worker: java -cp target/lib-1.0.jar demo.Worker\n");
        assertEquals(Map.of(), JavaBuilder.defaultProcesses(maven, slug, log));
        assertTrue(log.infos.stream().anyMatch(l -> l.startsWith("No default web process: No jar in target/")),
                log.infos.toString());

        Jars.runnable(slug.resolve("target/app-1.0.jar"), "demo.App");
        Files.writeString(slug.resolve("Procfile"), "web: java -cp target/lib-1.0.jar demo.Web\n");
        assertEquals(Map.of(), JavaBuilder.defaultProcesses(maven, slug, log));
    }

    @Test
    void springBootJarGetsItsPortAsAProperty() {
        assertEquals("\"$JAVA_HOME/bin/java\" -Dserver.port=$PORT $JAVA_OPTS -jar target/shop.jar",
                JavaBuilder.webCommand(new RunnableJar("target/shop.jar", "shop.App", true)));
        assertEquals("\"$JAVA_HOME/bin/java\" $JAVA_OPTS -jar 'target/my app$(x).jar'",
                JavaBuilder.webCommand(new RunnableJar("target/my app$(x).jar", "shop.App", false)));
    }

    @Test
    void noBuildFileIsAClearError() {
        BuildException e = assertThrows(BuildException.class, () -> builder.build(request(slug), log));

        assertEquals("The app has no pom.xml, build.gradle or build.gradle.kts; add one to build it as a Java app.",
                e.getMessage());
    }

    List<List<String>> commands() {
        return commands.runs.stream().map(TestBuildCommands.Run::command).toList();
    }

    BuildRequest request(Path slugDirectory) {
        return new BuildRequest(AppName.of("demo"), source, slugDirectory, cache, Map.of(), Duration.ofMinutes(10));
    }

    /** A web app on the JDK alone, whose jar names its main class; {@code version} is in its answer. */
    static void writeApp(Path dir, String version) throws IOException {
        Files.writeString(dir.resolve("pom.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>demo</groupId>
                  <artifactId>hello</artifactId>
                  <version>1.0</version>
                  <properties>
                    <maven.compiler.source>17</maven.compiler.source>
                    <maven.compiler.target>17</maven.compiler.target>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                  <build>
                    <plugins>
                      <plugin>
                        <artifactId>maven-jar-plugin</artifactId>
                        <version>3.4.2</version>
                        <configuration>
                          <archive><manifest><mainClass>demo.Hello</mainClass></manifest></archive>
                        </configuration>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """);
        Path java = Files.createDirectories(dir.resolve("src/main/java/demo")).resolve("Hello.java");
        Files.writeString(java, """
                package demo;

                import java.net.InetSocketAddress;
                import java.nio.charset.StandardCharsets;
                import com.sun.net.httpserver.HttpServer;

                public class Hello {
                    public static void main(String[] args) throws Exception {
                        int port = Integer.parseInt(System.getenv("PORT"));
                        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                        server.createContext("/", exchange -> {
                            byte[] body = ("hello VERSION, greeting=" + System.getProperty("greeting", "none"))
                                    .getBytes(StandardCharsets.UTF_8);
                            exchange.sendResponseHeaders(200, body.length);
                            exchange.getResponseBody().write(body);
                            exchange.close();
                        });
                        server.start();
                    }
                }
                """.replace("VERSION", version));
    }

    /** Runs the web command as a process of the app runs, and returns its answer to GET /. */
    static String serve(Path slug, String command, String javaHome, String javaOpts) throws Exception {
        try (WebProcess web = WebProcess.start(slug, command, Map.of("JAVA_HOME", javaHome, "JAVA_OPTS", javaOpts),
                slug.getParent())) {
            return web.awaitAnswer("/", Duration.ofSeconds(30)).body();
        }
    }
}
