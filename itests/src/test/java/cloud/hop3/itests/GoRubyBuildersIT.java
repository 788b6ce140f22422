package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import cloud.hop3.itests.Command.Result;

/**
 * Go and Ruby apps pushed with the real git client to the distribution, built with the server's
 * go and Bundler (offline: the Go standard library, Debian's gems), and fetched through its proxy.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GoRubyBuildersIT {

    private static Distribution platform;
    private static AppSource goApp;

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
    void goStandardLibraryAppWithoutGoModIsBuiltAndServed() throws Exception {
        goApp = new AppSource(platform, "goweb");
        goApp.write("main.go", goServer("v1"));

        long began = System.nanoTime();
        Result push = goApp.commitAndPush("first");
        long millis = (System.nanoTime() - began) / 1_000_000;

        assertEquals(0, push.exit(), push.toString());
        String out = push.output();
        assertTrue(out.matches("(?s).*Builder go [^ :]+: found main\\.go.*"), out);
        assertTrue(out.contains("remote: -----> Building with go"), out);
        assertTrue(out.contains("No go.mod: the app is built as module goweb (go mod init goweb)"), out);
        assertTrue(out.contains("Starting the app's Go build cache"), out);
        assertTrue(out.contains("Default web process: bin/goweb"), out);
        assertEquals("go says v1", get("goweb").body());
        System.out.println("First push of the Go app to serving: " + millis + " ms");
    }

    @Test
    @Order(2)
    void secondPushOfUnchangedCodeTakesEveryPackageFromTheBuildCache() throws Exception {
        long began = System.nanoTime();
        Result push = goApp.commitAndPush("same code, new commit");
        long millis = (System.nanoTime() - began) / 1_000_000;

        assertEquals(0, push.exit(), push.toString());
        String out = push.output();
        assertTrue(out.contains("Reusing the app's Go build cache"), out);
        Matcher summary = Pattern.compile("go compiled no package in [0-9.]+ s: every package came from the app's Go"
                + " build cache").matcher(out);
        assertTrue(summary.find(), out);
        assertTrue(out.contains("Deployed goweb v2"), out);
        assertEquals("go says v1", get("goweb").body());
        System.out.println("Second push of the unchanged Go app to serving: " + millis + " ms");
    }

    @Test
    @Order(3)
    void aCompileErrorFailsThePushWithTheCompilersLinesAndTheAppKeepsServing() throws Exception {
        goApp.write("main.go", goServer("v2").replace("func main() {", "func main() {\n\tundefinedGreeting()"));

        Result push = goApp.commitAndPush("broken");

        assertNotEquals(0, push.exit(), push.toString());
        String out = push.output();
        assertTrue(out.contains("Deploy failed: The Go code does not compile: ./main.go:"), out);
        assertTrue(out.contains("undefined: undefinedGreeting"), out);
        assertTrue(out.contains("[remote rejected] main -> main (deploy failed: The Go code does not compile:"), out);
        assertEquals("go says v1", get("goweb").body());
        String releases = platform.hop3Ok("app", "releases", "--no-format", "goweb");
        assertEquals(2, releases.lines().filter(l -> l.startsWith("v")).count(), releases);
    }

    @Test
    @Order(4)
    void sinatraAppFromTheServersGemsRunsWithRackup() throws Exception {
        AppSource app = new AppSource(platform, "sinatra");
        app.write("Gemfile", "source \"https://rubygems.org\"\n\ngem \"sinatra\"\ngem \"webrick\"\n");
        app.write("config.ru", """
                require "sinatra"
                set :logging, false
                get("/") { "sinatra says hello in #{ENV["RACK_ENV"]}" }
                run Sinatra::Application
                """);

        Result push = app.commitAndPush("first");

        assertEquals(0, push.exit(), push.toString());
        String out = push.output();
        assertTrue(out.matches("(?s).*Builder ruby [^ :]+: found Gemfile.*"), out);
        assertTrue(out.contains("remote: -----> Building with ruby"), out);
        assertTrue(out.contains("Using sinatra "), out);
        assertTrue(out.contains("Default web process: bundle exec rackup -o 127.0.0.1 -p $PORT config.ru"), out);
        assertEquals("sinatra says hello in production", get("sinatra").body());
    }

    @Test
    @Order(5)
    void aGemThatIsNotOnTheServerFailsThePushNamingIt() throws Exception {
        AppSource app = new AppSource(platform, "gemless");
        app.write("Gemfile", "source \"https://rubygems.org\"\n\ngem \"hop3-no-such-gem\"\n");
        app.write("config.ru", "run ->(env) { [200, {}, [\"never\"]] }\n");

        Result push = app.commitAndPush("first");

        assertNotEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("Deploy failed: The gem hop3-no-such-gem is not on this server."), push.toString());
        assertEquals(404, get("gemless").status());
    }

    @Test
    @Order(6)
    void aRubyScriptOfTheProcfileRunsWithoutAGemfile() throws Exception {
        AppSource app = new AppSource(platform, "rubyplain");
        app.write("Procfile", "web: ruby server.rb\n");
        app.write("server.rb", """
                require "webrick"
                server = WEBrick::HTTPServer.new(BindAddress: "127.0.0.1", Port: Integer(ENV.fetch("PORT")),
                                                 Logger: WEBrick::Log.new(nil, 0), AccessLog: [])
                server.mount_proc("/") { |_req, res| res.body = "plain ruby in #{ENV["RACK_ENV"]}" }
                trap("TERM") { server.shutdown }
                server.start
                """);

        Result push = app.commitAndPush("first");

        assertEquals(0, push.exit(), push.toString());
        assertTrue(push.output().matches("(?s).*Builder ruby [^ :]+: found a Procfile whose web process runs Ruby.*"), push.toString());
        assertTrue(push.output().contains("No Gemfile: the app uses the gems installed on this server"), push.toString());
        assertEquals("plain ruby in production", get("rubyplain").body());
    }

    /** A Go web server on the standard library, answering {@code go says <version>}. */
    private static String goServer(String version) {
        return """
                package main

                import (
                \t"fmt"
                \t"net/http"
                \t"os"
                )

                func main() {
                \thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
                \t\tfmt.Fprint(w, "go says VERSION")
                \t})
                \tif err := http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil); err != nil {
                \t\tpanic(err)
                \t}
                }
                """.replace("VERSION", version);
    }

    private static Http.Response get(String app) throws IOException {
        return Http.get(platform.httpPort, app + ".localhost", "/");
    }
}
