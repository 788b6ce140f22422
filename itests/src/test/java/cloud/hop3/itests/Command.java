package cloud.hop3.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real program (bin/hop3, ssh, tar, ssh-keygen) and captures what it printed. */
final class Command {

    /**
     * The outcome of a command.
     *
     * @param exit   its exit status
     * @param output standard output and standard error, interleaved
     */
    record Result(int exit, String output) {

        @Override
        public String toString() {
            return "exit " + exit + ":\n" + output;
        }
    }

    private Command() {
    }

    static Result run(Path directory, Map<String, String> env, Duration timeout, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(directory.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = ("(output lost: " + e + ")").getBytes(StandardCharsets.UTF_8);
            }
        });
        reader.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("Timed out after " + timeout + ": " + String.join(" ", command));
        }
        reader.join(10_000);
        return new Result(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
    }
}
