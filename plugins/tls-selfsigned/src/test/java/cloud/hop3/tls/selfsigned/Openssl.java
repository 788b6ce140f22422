package cloud.hop3.tls.selfsigned;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real openssl command, which the tests ask about the files the issuer writes, as proxies and users would. */
final class Openssl {

    /** openssl's exit code and its output (standard output and error together). */
    record Result(int exit, String output) {
    }

    private Openssl() {
    }

    /** Runs {@code openssl arguments...} with no input, and fails the test when it takes longer than 30 s. */
    static Result openssl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl finished");
        return new Result(process.exitValue(), output);
    }
}
