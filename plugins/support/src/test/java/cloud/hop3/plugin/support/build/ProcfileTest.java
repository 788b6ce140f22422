package cloud.hop3.plugin.support.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcfileTest {

    @Test
    void readsNameAndCommandWithLineNumbers() {
        Procfile procfile = Procfile.parse("web: gunicorn app:app\nstatic:   public  \n");

        assertEquals(List.of(new Procfile.Entry(1, "web", "gunicorn app:app"), new Procfile.Entry(2, "static", "public")),
                procfile.entries());
    }

    @Test
    void ignoresBlankLinesCommentsAndOtherShapes() {
        Procfile procfile = Procfile.parse("# static: commented\n\n   \n  # web: also commented\nnot a process line\n"
                + "static: www\r\nworker: run\r\n");

        assertEquals(List.of(new Procfile.Entry(6, "static", "www"), new Procfile.Entry(7, "worker", "run")),
                procfile.entries());
    }

    @Test
    void firstWinsAndEmptyCommandIsKept() {
        Procfile procfile = Procfile.parse("static:\nstatic: www\n");

        assertEquals(Optional.of(new Procfile.Entry(1, "static", "")), procfile.first("static"));
        assertEquals("static:", procfile.first("static").orElseThrow().shown());
        assertEquals(Optional.empty(), procfile.first("web"));
    }

    @Test
    void showsTheLineNormalised() {
        assertEquals("static: www", Procfile.parse("static :www").first("static").orElseThrow().shown());
    }

    @Test
    void longRunningProcessesHaveACommandAndAreNotBuildReleaseCronOrStaticLines() {
        Procfile procfile = Procfile.parse("release: ./migrate\nweb: ./server\ncron: 0 * * * * ./tick\nworker:\n"
                + "static: public\nprebuild: make\nclock: ./clock\n");

        assertEquals(List.of("web", "clock"), procfile.longRunning().stream().map(Procfile.Entry::name).toList());
    }

    @Test
    void theCommandOfATypeIsTheFirstThatHasOne() {
        assertEquals(Optional.of("ruby app.rb"), Procfile.parse("web:\nweb: ruby app.rb\n").command("web"));
        assertEquals(Optional.empty(), Procfile.parse("worker: x\n").command("web"));
    }

    @Test
    void missingProcfileReadsAsNone(@TempDir Path source) throws IOException {
        assertTrue(Procfile.read(source).isEmpty());
    }

    @Test
    void onlyTheFirstBytesAreRead(@TempDir Path source) throws IOException {
        Files.writeString(source.resolve("Procfile"), "web: ./a\n" + "#".repeat(Procfile.MAX_BYTES) + "\nworker: ./b\n");

        assertEquals(List.of(new Procfile.Entry(1, "web", "./a")), Procfile.read(source).orElseThrow().entries());
    }

    @Test
    void procfileLinkedFromOutsideReadsAsEmpty(@TempDir Path tmp) throws IOException {
        Path source = Files.createDirectory(tmp.resolve("src"));
        Path outside = Files.writeString(tmp.resolve("Procfile.elsewhere"), "static: www\n");
        Files.createSymbolicLink(source.resolve("Procfile"), outside);

        assertTrue(Procfile.read(source).isEmpty());
    }
}
