package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.w3c.dom.Document;

import cloud.hop3.itests.Command.Result;

/**
 * A plugin from outside the reactor, as a third party makes and installs one: the example
 * examples/builder-hello is built with its own pom by a separate Maven, its jar is dropped into
 * the running distribution's deploy/ folder, and an app that only it recognises is pushed with the
 * real git client and fetched through the proxy. Removing the jar leaves the app serving, and the
 * next push of the app fails with the missing builder's name. The platform is never restarted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DropInPluginIT {

    private static final Duration PLUGIN_DEADLINE = Duration.ofSeconds(60);
    private static final String PID = "com.example.hop3.builder.hello";
    private static final String TEXT = "Built by a plugin that was dropped in <deploy/>.";

    private static Path example;
    private static Path jar;
    private static Distribution platform;
    private static long platformPid;
    private static AppSource app;

    @BeforeAll
    static void buildThePluginAndStartThePlatform() throws Exception {
        example = Path.of(System.getProperty("hop3.root")).resolve("examples/builder-hello").toRealPath();
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(example.resolve("pom.xml").toFile());
        String apiVersion = XPathFactory.newInstance().newXPath().evaluate("/project/properties/hop3.version", pom);
        assertEquals(System.getProperty("hop3.version"), apiVersion,
                "examples/builder-hello/pom.xml builds against cloud.hop3:api " + apiVersion
                        + ", not the reactor's version: set its hop3.version property");
        String version = XPathFactory.newInstance().newXPath().evaluate("/project/version", pom);

        // a separate Maven, offline, on the local repository this build installed the api into
        String mvn = Path.of(System.getProperty("hop3.maven.home"), "bin", "mvn").toString();
        Result build = Command.run(example, Map.of("JAVA_HOME", System.getProperty("java.home")),
                Distribution.TIMEOUT, mvn, "-o", "-B", "-q", "-f", example.resolve("pom.xml").toString(),
                "-Dmaven.repo.local=" + System.getProperty("maven.repo.local"), "package");
        assertEquals(0, build.exit(), "mvn package of the example: " + build);
        jar = example.resolve("target/builder-hello-" + version + ".jar");
        assertTrue(Files.isRegularFile(jar), "the example's jar: " + jar);

        platform = new Distribution();
        Distribution.ok(platform.hop3("start"));
        platformPid = karafPid();
        app = new AppSource(platform, "greeter");
        app.write("hello.txt", TEXT).write("hop3.toml", "[build]\nbuilder = \"hello\"\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void thePluginImportsOnlyTheApiWithAVersionRange() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            String imports = file.getManifest().getMainAttributes().getValue("Import-Package");
            List<String> packages = Arrays.stream(imports.split(",(?=[a-z])")).collect(Collectors.toList());
            // the api packages it uses, each from the minor version it was built against up to the next major
            assertEquals(2, packages.size(), imports);
            assertUpToNextMajor(packages.get(0), "cloud.hop3.api.app", imports);
            assertUpToNextMajor(packages.get(1), "cloud.hop3.api.build", imports);
            assertEquals("com.example.hop3.builder.hello", file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName"));
        }
    }

    @Test
    @Order(2)
    void withoutThePluginThePushFailsAndNamesIt() throws Exception {
        Result push = app.commitAndPush("first");
        assertNotEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("The builder 'hello' named in hop3.toml [build].builder is not installed;"
                + " installed builders: "), push.toString());
        assertEquals(404, get("/").status());
    }

    @Test
    @Order(3)
    void aJarDroppedIntoDeployBuildsTheAppWithoutARestart() throws Exception {
        Files.copy(jar, platform.directory().resolve("deploy").resolve(jar.getFileName()));
        String listing = awaitListing("plugin:list to show the hello builder",
                out -> PluginListing.row(out, "builder", "hello").isPresent());
        List<String> row = PluginListing.row(listing, "builder", "hello").orElseThrow();
        assertTrue(row.get(2).startsWith("com.example.hop3.builder.hello ["), listing);
        assertEquals("Active", row.get(4), listing);

        Result push = app.commitAndPush("again, with the plugin");
        assertEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("remote: -----> Building with hello"), push.toString());
        assertTrue(push.output().contains("Python 3."), "the check ran through BuildCommands: " + push);
        Http.Response page = get("/");
        assertEquals(200, page.status(), page.toString());
        assertTrue(page.body().contains("<h1>Hello</h1>"), page.body());
        assertTrue(page.body().contains("Built by a plugin that was dropped in &lt;deploy/&gt;."), page.body());
        assertEquals(platformPid, karafPid(), "the platform was not restarted");
    }

    @Test
    @Order(4)
    void theOperatorsSettingReachesTheNextBuild() throws Exception {
        platform.hop3Ok("config", "property-set", "-p", PID, "greeting", "Bonjour");
        // DS restarts the component with the new configuration, and registers its service again
        // with the configuration among its properties; core binds it as it is registered
        awaitHelloService("greeting = Bonjour");
        Result push = app.commitAndPush("with the operator's greeting");
        assertEquals(0, push.exit(), push.toString());
        assertTrue(get("/").body().contains("<h1>Bonjour</h1>"), get("/").body());
    }

    @Test
    @Order(5)
    void removingTheJarKeepsTheAppServingAndTheNextPushNamesTheMissingPlugin() throws Exception {
        String before = get("/").body();
        Files.delete(platform.directory().resolve("deploy").resolve(jar.getFileName()));
        awaitListing("plugin:list without the hello builder", out -> PluginListing.row(out, "builder", "hello").isEmpty()
                && PluginListing.row(out, "builder", "static").isPresent());

        Http.Response page = get("/");
        assertEquals(200, page.status());
        assertEquals(before, page.body(), "the release built by the removed plugin keeps serving");

        Result push = app.commitAndPush("after the plugin left");
        assertNotEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("The builder 'hello' named in hop3.toml [build].builder is not installed;"
                + " installed builders: generic, "), push.toString());
        assertEquals(before, get("/").body(), "the failed push changed nothing");
        String releases = platform.hop3Ok("app", "releases", "--no-format", "greeter");
        assertEquals(2, releases.lines().filter(l -> l.startsWith("v")).count(), releases);
        assertEquals(platformPid, karafPid(), "the platform was not restarted");
    }

    private static Http.Response get(String path) throws IOException {
        return Http.get(platform.httpPort, "greeter.localhost", path);
    }

    /** Polls plugin:list until its output satisfies {@code condition}; returns that output. */
    private static String awaitListing(String what, java.util.function.Predicate<String> condition)
            throws Exception {
        long deadline = System.nanoTime() + PLUGIN_DEADLINE.toNanos();
        while (true) {
            String out = platform.hop3Ok("plugin", "list", "--no-format");
            if (condition.test(out)) {
                return out;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + PLUGIN_DEADLINE + " waiting for " + what + ":\n" + out);
            }
            Thread.sleep(200);
        }
    }

    /** Polls service:list until the hello builder's service is registered, used by core, with {@code property}. */
    private static void awaitHelloService(String property) throws Exception {
        long deadline = System.nanoTime() + PLUGIN_DEADLINE.toNanos();
        while (true) {
            String out = platform.hop3Ok("service", "list", "cloud.hop3.api.build.Builder");
            boolean ready = Arrays.stream(out.split("\\n(?=\\[cloud)"))
                    .anyMatch(service -> service.contains(" hop3.builder = hello\n") && service.contains(" " + property + "\n")
                            && service.contains("Hop3 :: Core"));
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + PLUGIN_DEADLINE + " waiting for the hello builder with "
                        + property + ":\n" + out);
            }
            Thread.sleep(200);
        }
    }

    /** The platform's JVM, found as bin/hop3 finds it: by the distribution directory it runs. */
    private static long karafPid() {
        String base = "-Dkaraf.base=" + platform.directory();
        List<Long> pids = ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> Arrays.asList(args).contains(base)).orElse(false))
                .map(ProcessHandle::pid)
                .collect(Collectors.toList());
        assertEquals(1, pids.size(), "one JVM runs " + platform.directory() + ": " + pids);
        return pids.get(0);
    }

    /** {@code <pkg>;version="[M.m,M+1)"}: from the version built against up to the next major. */
    private static void assertUpToNextMajor(String imported, String pkg, String imports) {
        Matcher m = Pattern.compile(Pattern.quote(pkg)
                + ";version=\"\\[(\\d+)\\.\\d+,(\\d+)\\)\"").matcher(imported);
        assertTrue(m.matches(), imports);
        assertEquals(Integer.parseInt(m.group(1)) + 1, Integer.parseInt(m.group(2)), imports);
    }
}
