package cloud.hop3.plugin.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import cloud.hop3.api.addon.ClientCommand;

/**
 * An add-on's client run as {@code addon:connect} runs it: the command line a database plugin
 * gives, with more arguments after it, and the environment that carries the password.
 *
 * @param exit how the client ended
 * @param output what it wrote, standard output and errors together
 */
public record ClientRun(int exit, String output) {

    /** Runs {@code client} with {@code arguments} added (a query to execute), for at most a minute. */
    public static ClientRun of(ClientCommand client, String... arguments) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(client.argv());
        argv.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().putAll(client.env());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException(argv.get(0) + " did not end within a minute");
        }
        return new ClientRun(process.exitValue(), output);
    }
}
