package cloud.hop3.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import cloud.hop3.itests.Command.Result;

/** An app's git working copy, pushed to the platform with the real git client. */
final class AppSource {

    private final Path dir;
    private final Distribution platform;
    private final String app;

    AppSource(Distribution platform, String app) throws IOException, InterruptedException {
        this.platform = platform;
        this.app = app;
        this.dir = Files.createDirectories(platform.work.resolve("src-" + app + "-" + System.nanoTime()));
        git("init", "-q", "-b", "main");
        git("config", "user.email", "test@hop3.cloud");
        git("config", "user.name", "Hop3 test");
    }

    AppSource write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return this;
    }

    AppSource delete(String path) throws IOException {
        Files.deleteIfExists(dir.resolve(path));
        return this;
    }

    AppSource writeAll(Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            write(f.getKey(), f.getValue());
        }
        return this;
    }

    /** Commits everything and pushes it; returns git's exit status and output. */
    Result commitAndPush(String message) throws IOException, InterruptedException {
        git("add", "-A");
        git("commit", "-q", "--allow-empty", "-m", message);
        return push("main");
    }

    Result push(String branch) throws IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GIT_SSH_COMMAND", platform.gitSsh());
        return Command.run(dir, env, Distribution.TIMEOUT, "git", "push", platform.gitUrl(app), branch + ":" + branch);
    }

    Result pushTo(String remoteApp) throws IOException, InterruptedException {
        return pushTo(remoteApp, platform.gitSsh());
    }

    /** Pushes with another ssh command, such as one with another key. */
    Result pushTo(String remoteApp, String sshCommand) throws IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GIT_SSH_COMMAND", sshCommand);
        return Command.run(dir, env, Distribution.TIMEOUT, "git", "push", platform.gitUrl(remoteApp), "main:main");
    }

    /** The working copy. */
    Path directory() {
        return dir;
    }

    /** Commits everything without pushing. */
    AppSource commit(String message) throws IOException, InterruptedException {
        git("add", "-A");
        git("commit", "-q", "--allow-empty", "-m", message);
        return this;
    }

    /** Starts a push and returns at once; the process's output holds git's and ssh's messages. */
    Process startPush(String branch) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("git", "push", platform.gitUrl(app), branch + ":" + branch)
                .directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("GIT_SSH_COMMAND", platform.gitSsh());
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    /** Runs git, which must succeed, and returns what it printed on its standard output. */
    String gitOut(String... args) throws IOException, InterruptedException {
        return gitOutFrom(null, args);
    }

    /** The same, with a file as git's standard input. */
    String gitOutFrom(Path input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        if (input != null) {
            builder.redirectInput(input.toFile());
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!process.waitFor(1, java.util.concurrent.TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out.strip();
    }

    private void git(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        Distribution.ok(Command.run(dir, Map.of(), Distribution.TIMEOUT, command));
    }

    /**
     * The code of a Python web app on the standard library: {@code program} defines
     * {@code answer()}, whose text answers every GET (a 500 with the error when it raises).
     */
    static String pythonTextServer(String program) {
        return program + """

                import http.server, os

                class Handler(http.server.BaseHTTPRequestHandler):
                    protocol_version = "HTTP/1.1"

                    def do_GET(self):
                        try:
                            body, status = answer(), 200
                        except Exception as e:
                            body, status = "error: %r" % e, 500
                        data = body.encode()
                        self.send_response(status)
                        self.send_header("Content-Type", "text/plain")
                        self.send_header("Content-Length", str(len(data)))
                        self.end_headers()
                        self.wfile.write(data)

                    def log_message(self, *args):
                        pass

                http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
                """;
    }

    /** A Python web app on the standard library only; {@code greeting} is in every answer. */
    static Map<String, String> pythonApp(String greeting) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("requirements.txt", "# the standard library is enough\n");
        files.put("Procfile", "web: python app.py\n");
        files.put("app.py", """
                import http.server, os

                class Handler(http.server.BaseHTTPRequestHandler):
                    protocol_version = "HTTP/1.1"

                    def do_GET(self):
                        body = ("%s from python, pid %d, greeting=%s" % (
                            "GREETING", os.getpid(), os.environ.get("GREETING", "none"))).encode()
                        self.send_response(200)
                        self.send_header("Content-Type", "text/plain")
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)

                    def log_message(self, *args):
                        pass

                http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
                """.replace("\"GREETING\", os.getpid()", "\"" + greeting + "\", os.getpid()"));
        return files;
    }
}
