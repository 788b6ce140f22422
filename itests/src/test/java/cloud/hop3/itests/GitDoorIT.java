package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import cloud.hop3.itests.Command.Result;

/**
 * The git server as an attacker meets it, with the real git and ssh clients: a crafted tree, a
 * push too large, more sessions than the server serves at once, a push that fails inside the
 * platform, and keys that are too weak. The platform runs with a push limit of 1 MiB and one
 * git session at a time, so that each limit is reached cheaply.
 */
class GitDoorIT {

    private static Distribution platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new Distribution();
        Path cfg = platform.directory().resolve("etc/cloud.hop3.core.cfg");
        Files.writeString(cfg, Files.readString(cfg) + "\nmax.push.mb = 1\ngit.sessions = 1\n");
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
    void aTreeWithLinksLeadingOutIsRefusedAndWritesNothingOutside() throws Exception {
        AppSource app = new AppSource(platform, "crafted");
        app.write("Procfile", "web: python -m http.server $PORT\n").write("a/b/c/d/e/f/keep", "");
        Path dir = app.directory();
        Files.createSymbolicLink(dir.resolve("a/b/c/d/e/f/u"), Path.of("../../../../../.."));
        Files.createSymbolicLink(dir.resolve("esc"), Path.of("a/b/c/d/e/f/u/../../../.."));

        Result chain = app.commitAndPush("a chain of links");

        assertNotEquals(0, chain.exit(), chain.toString());
        assertTrue(chain.output().contains("The link 'esc' leads out of the app's files"), chain.toString());
        assertFalse(chain.output().contains("Deployed"), chain.toString());

        // the probe's tree: the same links, and a folder also named esc holding a file
        String blob = app.gitOut("hash-object", "-w", app.write("pwned.txt", "pwned").directory().resolve("pwned.txt").toString());
        Files.writeString(dir.resolve("esc-dir.txt"), "100644 blob " + blob + "\tPWNED-by-push.txt\n");
        String escDir = app.gitOutFrom(dir.resolve("esc-dir.txt"), "mktree");
        ByteArrayOutputStream tree = new ByteArrayOutputStream();
        entry(tree, "100644 Procfile", app.gitOut("rev-parse", "HEAD:Procfile"));
        entry(tree, "40000 a", app.gitOut("rev-parse", "HEAD:a"));
        entry(tree, "120000 esc", app.gitOut("rev-parse", "HEAD:esc"));
        entry(tree, "40000 esc", escDir);
        Files.write(dir.resolve("tree.bin"), tree.toByteArray());
        String treeId = app.gitOut("hash-object", "-t", "tree", "-w", "--literally", "tree.bin");
        String commit = app.gitOut("commit-tree", treeId, "-p", "HEAD", "-m", "probe");
        app.gitOut("update-ref", "refs/heads/main", commit);

        Result probe = app.push("main");

        assertNotEquals(0, probe.exit(), probe.toString());
        assertFalse(probe.output().contains("Deployed"), probe.toString());
        assertTrue(probe.output().contains("git's checks refuse"), probe.toString());
        assertFalse(Files.exists(platform.home.resolve("PWNED-by-push.txt"), LinkOption.NOFOLLOW_LINKS));
        try (var files = Files.walk(platform.work)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().equals("PWNED-by-push.txt")).toList());
        }
    }

    private static void entry(ByteArrayOutputStream tree, String modeAndName, String id) throws IOException {
        tree.write((modeAndName + "\0").getBytes(StandardCharsets.UTF_8));
        tree.write(HexFormat.of().parseHex(id));
    }

    @Test
    void aPushOverTheSizeLimitIsRefusedWithTheLimit() throws Exception {
        AppSource app = new AppSource(platform, "bulky");
        byte[] noise = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(noise);
        app.writeAll(AppSource.pythonApp("bulky"));
        Files.write(app.directory().resolve("noise.bin"), noise);

        Result push = app.commitAndPush("two mebibytes that do not compress");

        assertNotEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("the push is larger than the 1 MiB that this platform accepts (max_push_mb)"),
                push.toString());
        assertFalse(push.output().contains("Deployed"), push.toString());
    }

    @Test
    void sessionsBeyondTheLimitWaitThenAreRefused() throws Exception {
        Path started = platform.work.resolve("held.started");
        Path release = platform.work.resolve("held.release");
        AppSource held = new AppSource(platform, "held");
        held.writeAll(AppSource.pythonApp("held"));
        held.write("hop3.toml", "[build]\nbuild = \"touch " + started + "; while [ ! -f " + release
                + " ]; do sleep 0.1; done\"\n");
        AppSource waiting = new AppSource(platform, "waiting");
        waiting.writeAll(AppSource.pythonApp("waiting")).commit("first");
        AppSource refused = new AppSource(platform, "refused");
        refused.writeAll(AppSource.pythonApp("refused")).commit("first");

        CompletableFuture<Result> first = CompletableFuture.supplyAsync(() -> {
            try {
                return held.commitAndPush("holds the only session");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Process second = null;
        try {
            await("the first push to build", () -> Files.exists(started));
            second = waiting.startPush("main");
            Live out = new Live(second.getInputStream());
            await("the second push to be told it waits", () -> out.text().contains("waits for its turn"));

            Result third = refused.push("main");

            assertNotEquals(0, third.exit(), third.toString());
            assertTrue(third.output().contains("the git server is busy"), third.toString());
            assertFalse(out.text().contains("Deployed"), "the second push waits: " + out.text());
            Files.writeString(release, "");
            Result firstResult = first.get(5, TimeUnit.MINUTES);
            assertEquals(0, firstResult.exit(), firstResult.toString());
            assertTrue(second.waitFor(5, TimeUnit.MINUTES));
            assertEquals(0, second.exitValue(), out.text());
            assertTrue(out.text().contains("Deployed waiting"), out.text());
        } finally {
            Files.writeString(release, "");
            if (second != null) {
                second.destroyForcibly();
            }
        }
    }

    @Test
    void anInternalFailureShowsThePusherNoServerPathsOrExceptions() throws Exception {
        AppSource app = new AppSource(platform, "internal");
        app.writeAll(AppSource.pythonApp("internal"));
        Path builds = platform.home.resolve("tmp/builds");
        Files.createDirectories(builds.getParent());
        Command.run(Path.of("/"), Map.of(), Distribution.TIMEOUT, "rm", "-rf", builds.toString());
        Files.writeString(builds, "a file where the build folders go");
        try {
            Result push = app.commitAndPush("fails inside the platform");

            assertNotEquals(0, push.exit(), push.toString());
            assertTrue(push.output().contains("internal error (reference "), push.toString());
            assertFalse(push.output().contains(platform.home.toString()), push.toString());
            assertFalse(push.output().contains(platform.work.toString()), push.toString());
            assertFalse(push.output().contains("Exception"), push.toString());
            assertFalse(push.output().contains("\tat "), push.toString());
        } finally {
            Files.delete(builds);
        }
    }

    @Test
    void weakKeysAndKeyOptionsAreRefusedByKeyAdd() throws Exception {
        Path weak = platform.work.resolve("weak");
        Distribution.ok(Command.run(platform.work, Map.of(), Distribution.TIMEOUT,
                "ssh-keygen", "-q", "-t", "rsa", "-b", "1024", "-N", "", "-f", weak.toString()));
        Result added = platform.hop3("key", "add", "old", Files.readString(Path.of(weak + ".pub")).strip());
        assertNotEquals(0, added.exit(), added.toString());
        assertTrue(added.output().contains("This RSA key has 1024 bits; at least 2048 are needed"), added.toString());

        Path good = platform.work.resolve("good");
        Distribution.ok(Command.run(platform.work, Map.of(), Distribution.TIMEOUT,
                "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", good.toString()));
        Result withFrom = platform.hop3("key", "add", "ci", "from=\"10.9.9.9\" " + Files.readString(Path.of(good + ".pub")).strip());
        assertNotEquals(0, withFrom.exit(), withFrom.toString());
        assertTrue(withFrom.output().contains("Key options are not supported: from="), withFrom.toString());
        String keys = platform.hop3Ok("key", "list", "--no-format");
        // by name, the first column: a fingerprint may hold "ci" or "old" (13cip...)
        assertFalse(keys.lines().map(l -> l.split("\t")[0]).anyMatch(name -> name.equals("old") || name.equals("ci")), keys);
    }

    /** The output of a process, read as it comes. */
    private static final class Live {
        private final StringBuffer text = new StringBuffer();

        Live(InputStream in) {
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[4096];
                try {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    text.append("(output ended: ").append(e.getMessage()).append(')');
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        String text() {
            return text.toString();
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
