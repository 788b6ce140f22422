package cloud.hop3.addon.mariadb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import cloud.hop3.api.addon.AddonCredentials;

/** What the tests do as an app would: connect with an add-on's credentials through the real client. */
final class TestClient {

    /** The client's exit code and its output (standard output and error together). */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    private TestClient() {
    }

    /** Runs {@code sql} as the add-on's user over TCP, in {@code database} (none when null). */
    static Result sql(AddonCredentials credentials, String database, String sql) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mariadb", "--no-defaults", "--protocol=TCP",
                "--host=" + credentials.get("host"), "--port=" + credentials.get("port"),
                "--user=" + credentials.get("user"), "--batch", "--skip-column-names"));
        if (database != null) {
            command.add(database);
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MYSQL_PWD", credentials.get("password"));
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            in.write(sql.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("mariadb did not answer within 30 s");
        }
        return new Result(process.exitValue(), output.strip());
    }

}
