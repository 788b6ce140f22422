package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import cloud.hop3.itests.Command.Result;

/**
 * The java and php builders end to end: apps pushed with the real git and ssh clients, built
 * with the machine's Maven, JDK, PHP and Composer, and fetched through the platform's proxy.
 * The first Maven build of the Java app downloads Maven's plugins from Maven Central into the
 * app's cache; the second one must not download anything.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JavaPhpBuildersIT {

    private static Distribution platform;
    private static AppSource javaApp;
    private static AppSource phpApp;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        Result start = platform.hop3("start");
        assertEquals(0, start.exit(), start.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void javaAppIsBuiltWithMavenAndItsJarServes() throws Exception {
        javaApp = new AppSource(platform, "javaapp");
        javaApp.writeAll(javaApp("v1"));

        Result push = javaApp.commitAndPush("first");

        assertEquals(0, push.exit(), push.toString());
        String out = push.output();
        assertTrue(out.matches("(?s).*Builder java [^ :]+: found pom\\.xml.*"), out);
        assertTrue(out.contains("remote: -----> Building with java"), out);
        assertTrue(out.matches("(?s).*remote:        Maven downloaded \\d+ files \\([0-9.]+ MB\\) into the app's cache.*"), out);
        assertTrue(out.contains("Runnable jar: target/hello-1.0.jar (main class demo.Hello)"), out);
        assertTrue(get("javaapp").startsWith("hello from java v1 on port "), get("javaapp"));
        assertTrue(get("javaapp").endsWith("greeting=none"), get("javaapp"));

        platform.hop3Ok("app", "config-set", "javaapp", "JAVA_OPTS=-Dgreeting=bonjour");
        assertTrue(get("javaapp").endsWith("greeting=bonjour"), "JAVA_OPTS reaches the JVM: " + get("javaapp"));
    }

    @Test
    @Order(2)
    void secondPushWithTheSamePomDownloadsNothing() throws Exception {
        javaApp.writeAll(javaApp("v2"));

        Result push = javaApp.commitAndPush("second");

        assertEquals(0, push.exit(), push.toString());
        String out = push.output();
        assertTrue(out.contains("remote:        Maven downloaded nothing: the app's cache had all it needed ("), out);
        assertFalse(out.contains("Downloading from") || out.contains("Downloaded from"), out);
        assertTrue(get("javaapp").startsWith("hello from java v2 on port "), get("javaapp"));
    }

    @Test
    @Order(3)
    void compileErrorFailsThePushWithTheCompilersMessageAndV2KeepsServing() throws Exception {
        javaApp.writeAll(javaApp("v3"));
        javaApp.write("src/main/java/demo/Hello.java", helloJava("v3").replace("server.start();", "server.start()"));

        Result push = javaApp.commitAndPush("broken");

        assertNotEquals(0, push.exit(), push.toString());
        String out = push.output();
        assertTrue(out.matches("(?s).*Maven could not build the app: src/main/java/demo/Hello\\.java:\\d+:\\d+: ';' expected.*"),
                out);
        assertTrue(out.contains("[remote rejected]"), out);
        assertTrue(get("javaapp").startsWith("hello from java v2 "), "the previous release serves: " + get("javaapp"));
        String releases = platform.hop3Ok("app", "releases", "--no-format", "javaapp");
        assertEquals(3, releases.lines().filter(l -> l.startsWith("v")).count(), "deploy, config, deploy: " + releases);
    }

    @Test
    @Order(1)
    void phpAppIsInstalledWithComposerAndServedFromPublic() throws Exception {
        phpApp = new AppSource(platform, "phpapp");
        phpApp.writeAll(phpApp());

        Result push = phpApp.commitAndPush("first");

        assertEquals(0, push.exit(), push.toString());
        String out = push.output();
        assertTrue(out.matches("(?s).*Builder php [^ :]+: found composer\\.json.*"), out);
        assertTrue(out.contains("remote: -----> Building with php"), out);
        assertTrue(out.contains("Default web process: php -S 127.0.0.1:$PORT -t public"), out);
        assertEquals("hello from php 8 at /", get("phpapp"));
        assertEquals("hello from php 8 at /orders/7", Http.get(platform.httpPort, "phpapp.localhost", "/orders/7").body());
        String run = platform.hop3Ok("app", "run", "phpapp", "ls vendor/autoload.php");
        assertTrue(run.contains("vendor/autoload.php"), run);
    }

    @Test
    @Order(2)
    void phpRequirementThatCannotBeFetchedFailsThePushWithComposersReason() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        phpApp.write("composer.json", "{\"repositories\": [{\"type\": \"composer\", \"url\": \"https://127.0.0.1:" + port
                + "\"}, {\"packagist.org\": false}], \"require\": {\"demo/unreachable\": \"^1.0\"},"
                + " \"autoload\": {\"psr-4\": {\"Shop\\\\\": \"src/\"}}}");

        Result push = phpApp.commitAndPush("unreachable requirement");

        assertNotEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("composer install could not install the dependencies of composer.json: The"
                + " \"https://127.0.0.1:" + port + "/packages.json\" file could not be downloaded"), push.toString());
        assertEquals("hello from php 8 at /", get("phpapp"), "the previous release serves");
    }

    private static String get(String app) throws IOException {
        return Http.get(platform.httpPort, app + ".localhost", "/").body();
    }

    /** A Maven app on the JDK alone: its jar names its main class, which serves on $PORT. */
    static Map<String, String> javaApp(String version) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("pom.xml", """
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
        files.put("src/main/java/demo/Hello.java", helloJava(version));
        return files;
    }

    static String helloJava(String version) {
        return """
                package demo;

                import java.net.InetSocketAddress;
                import java.nio.charset.StandardCharsets;
                import com.sun.net.httpserver.HttpServer;

                public class Hello {
                    public static void main(String[] args) throws Exception {
                        int port = Integer.parseInt(System.getenv("PORT"));
                        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                        server.createContext("/", exchange -> {
                            byte[] body = ("hello from java VERSION on port " + port + ", greeting="
                                    + System.getProperty("greeting", "none")).getBytes(StandardCharsets.UTF_8);
                            exchange.sendResponseHeaders(200, body.length);
                            exchange.getResponseBody().write(body);
                            exchange.close();
                        });
                        server.start();
                    }
                }
                """.replace("VERSION", version);
    }

    /** A PHP app whose front controller in public/ uses a class that Composer's autoloader finds. */
    static Map<String, String> phpApp() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("composer.json", "{\"name\": \"demo/shop\", \"require\": {\"php\": \">=8.0\"},"
                + " \"autoload\": {\"psr-4\": {\"Shop\\\\\": \"src/\"}}}\n");
        files.put("src/Greeting.php", "<?php\nnamespace Shop;\n\nclass Greeting\n{\n    public static function text(): string\n"
                + "    {\n        return 'hello from php ' . PHP_MAJOR_VERSION;\n    }\n}\n");
        files.put("public/index.php", "<?php\nrequire __DIR__ . '/../vendor/autoload.php';\n"
                + "echo \\Shop\\Greeting::text(), ' at ', $_SERVER['REQUEST_URI'];\n");
        return files;
    }
}
