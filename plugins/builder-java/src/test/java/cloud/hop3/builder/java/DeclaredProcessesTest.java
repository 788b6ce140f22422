package cloud.hop3.builder.java;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeclaredProcessesTest {

    @TempDir
    Path dir;

    @Test
    void procfileProcessesWithoutTheEntriesThatAreNotProcesses() throws IOException {
        Files.writeString(dir.resolve("Procfile"), """
                # web: commented out
                release: java -cp target/app.jar demo.Migrate
                worker: java -cp target/app.jar demo.Worker
                cron: 0 3 * * * echo hi
                static: public
                clock :  sleep 1
                """);

        assertEquals(Set.of("worker", "clock"), DeclaredProcesses.of(dir));
    }

    @Test
    void hop3TomlStartIsTheWebProcess() throws IOException {
        Files.writeString(dir.resolve("hop3.toml"), """
                [build]
                start = "not this one"
                [run]
                start = "java -jar target/app.jar"
                [run.workers]
                mailer = "java -cp target/app.jar demo.Mailer"
                cron = "0 3 * * * true"
                """);

        assertEquals(Set.of("web", "mailer"), DeclaredProcesses.of(dir));
    }

    @Test
    void noFilesDeclareNothing() throws IOException {
        assertEquals(Set.of(), DeclaredProcesses.of(dir));
        Files.write(dir.resolve("Procfile"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertEquals(Set.of(), DeclaredProcesses.of(dir));
    }
}
