package cloud.hop3.core.impl.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import cloud.hop3.api.build.StaticMapping;

class ProcfileParserTest {

    private static ManifestException failure(String text) {
        return assertThrows(ManifestException.class, () -> ProcfileParser.parse(text));
    }

    @Test
    void readsProcessesInFileOrder() throws ManifestException {
        Procfile p = ProcfileParser.parse("""
                web: gunicorn app:app --bind 0.0.0.0:$PORT
                worker: celery -A app worker
                mail-sender_2: ./send
                """);

        assertEquals(List.of("web", "worker", "mail-sender_2"), List.copyOf(p.processes().keySet()));
        assertEquals("gunicorn app:app --bind 0.0.0.0:$PORT", p.processes().get("web"));
        assertEquals(Optional.empty(), p.release());
        assertEquals(List.of(), p.cron());
        assertEquals(List.of(), p.statics());
    }

    @Test
    void ignoresBlankLinesCommentsAndSurroundingSpace() throws ManifestException {
        Procfile p = ProcfileParser.parse("""
                # the web front

                   web:    node server.js   \t
                \t# a comment with: a colon
                worker:./run # not a comment: part of the command
                """);

        assertEquals(Map.of("web", "node server.js", "worker", "./run # not a comment: part of the command"), p.processes());
    }

    @Test
    void acceptsCrlfLineEndings() throws ManifestException {
        Procfile p = ProcfileParser.parse("web: ./web\r\nworker: ./work\r\n\r\n# note\r\nrelease: ./migrate\r\n");

        assertEquals(Map.of("web", "./web", "worker", "./work"), p.processes());
        assertEquals(Optional.of("./migrate"), p.release());
    }

    @Test
    void keepsEverythingAfterTheFirstColonAsTheCommand() throws ManifestException {
        Procfile p = ProcfileParser.parse("web: python -m http.server --bind ::1 $PORT\n");

        assertEquals("python -m http.server --bind ::1 $PORT", p.processes().get("web"));
    }

    @Test
    void anEmptyFileDeclaresNothing() throws ManifestException {
        Procfile p = ProcfileParser.parse("\n# nothing yet\n");

        assertTrue(p.processes().isEmpty());
        assertTrue(p.buildCommands().isEmpty());
    }

    @Test
    void releaseIsNotAProcess() throws ManifestException {
        Procfile p = ProcfileParser.parse("web: ./web\nrelease: ./manage.py migrate\n");

        assertEquals(Map.of("web", "./web"), p.processes());
        assertEquals(Optional.of("./manage.py migrate"), p.release());
    }

    @Test
    void hop3PrerunIsTheReleaseCommand() throws ManifestException {
        assertEquals(Optional.of("./migrate"), ProcfileParser.parse("prerun: ./migrate\n").release());
    }

    @Test
    void releaseAndPrerunTogetherAreAnError() {
        ManifestException e = failure("release: ./a\nweb: ./w\nprerun: ./b\n");

        assertEquals("Procfile line 3: 'release' and 'prerun' both give the release command (the other is on line 1); keep one",
                e.getMessage());
        assertEquals(OptionalInt.of(3), e.line());
        assertEquals("Procfile", e.file());
    }

    @Test
    void cronLinesAreScheduledCommandsAndMayRepeat() throws ManifestException {
        Procfile p = ProcfileParser.parse("""
                web: ./web
                cron: */5 * * * * ./poll --verbose
                cron:   0   3 * * mon-fri   ./nightly.sh  "a  b"
                """);

        assertEquals(Map.of("web", "./web"), p.processes());
        assertEquals(2, p.cron().size());
        CronEntry first = p.cron().get(0);
        assertEquals(CronSchedule.parse("*/5 * * * *"), first.schedule());
        assertEquals("./poll --verbose", first.command());
        assertEquals("cron: */5 * * * * ./poll --verbose", first.line());
        CronEntry second = p.cron().get(1);
        assertEquals("0 3 * * mon-fri", second.schedule().toString());
        assertEquals("./nightly.sh  \"a  b\"", second.command(), "the command keeps its own spacing");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "cron: 61 * * * * ./x          | Procfile line 2: cron minute field '61': 61 is out of range 0-59",
        "cron: * * * * fry ./x         | Procfile line 2: cron day-of-week field 'fry': 'fry' is not a number or a name (sun, mon, ...)",
        "cron: 0 0 31 2 * ./x          | Procfile line 2: cron day-of-month field '31': no such day in month field '2', so the schedule never fires",
        "cron: * * * * *               | Procfile line 2: cron has a schedule but no command",
        "cron: 0 3 * * ./x             | Procfile line 2: cron has a schedule but no command",
        "cron: @daily ./x              | Procfile line 2: cron needs five schedule fields and a command, for example 'cron: 0 3 * * * ./nightly.sh'",
        "cron: 0 3 * ./x               | Procfile line 2: cron needs five schedule fields and a command, for example 'cron: 0 3 * * * ./nightly.sh'",
    })
    void badCronLinesNameTheLineAndTheField(String cronLine, String message) {
        assertEquals(message, failure("web: ./web\n" + cronLine + "\n").getMessage());
    }

    @Test
    void staticServesADirectoryAtTheRoot() throws ManifestException {
        assertEquals(List.of(new StaticMapping("/", "public")), ProcfileParser.parse("static: public\n").statics());
        assertEquals(List.of(new StaticMapping("/", "site/dist")), ProcfileParser.parse("static: ./site//dist/\n").statics());
        assertEquals(List.of(new StaticMapping("/", ".")), ProcfileParser.parse("static: .\n").statics());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "static: /var/www        | Procfile line 1: the static directory '/var/www' must be relative to the app, not absolute",
        "static: ~/www           | Procfile line 1: the static directory '~/www' must be relative to the app, not absolute",
        "static: ..              | Procfile line 1: the static directory '..' leaves the app ('..')",
        "static: public/../..    | Procfile line 1: the static directory 'public/../..' leaves the app ('..')",
        "static: ../other/public | Procfile line 1: the static directory '../other/public' leaves the app ('..')",
        "static: public\\assets  | Procfile line 1: the static directory 'public\\assets' must use '/' between names",
    })
    void staticStaysInsideTheApp(String line, String message) {
        assertEquals(message, failure(line + "\nweb: ./w\n").getMessage());
    }

    @Test
    void hop3BuildHooksAreBuildCommandsInOrder() throws ManifestException {
        Procfile p = ProcfileParser.parse("postbuild: npm run assets\nweb: ./w\nprebuild: npm ci\n");

        assertEquals(List.of("npm ci", "npm run assets"), p.buildCommands());
        assertEquals(Map.of("web", "./w"), p.processes());
    }

    @Test
    void wsgiIsRejectedWithTheLineToWriteInstead() {
        ManifestException e = failure("# piku style\nwsgi: app:application\n");

        assertEquals("Procfile line 2: 'wsgi' (uWSGI loading a module) is not supported; declare a web process that"
                + " listens on $PORT instead, for example 'web: gunicorn app:application --bind 0.0.0.0:$PORT'",
                e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Web: ./w                 | Procfile line 2: process type 'Web' must be lower-case: write 'web'",
        "WORKER: ./w              | Procfile line 2: process type 'WORKER' must be lower-case: write 'worker'",
        "1web: ./w                | Procfile line 2: process type '1web' is not valid: use lower-case letters, digits, '-' and '_', starting with a letter",
        "my app: ./w              | Procfile line 2: process type 'my app' is not valid: use lower-case letters, digits, '-' and '_', starting with a letter",
        "wörker: ./w              | Procfile line 2: process type 'w?rker' is not valid: use lower-case letters, digits, '-' and '_', starting with a letter",
        ": ./w                    | Procfile line 2: the process type before ':' is empty",
        "worker ./w               | Procfile line 2: expected 'name: command', but there is no ':'",
        "worker:                  | Procfile line 2: 'worker' has an empty command",
        "worker:   \t             | Procfile line 2: 'worker' has an empty command",
        "release:                 | Procfile line 2: 'release' has an empty command",
    })
    void badLinesNameTheLine(String line, String message) {
        ManifestException e = failure("web: ./web\n" + line + "\n");

        assertEquals(message, e.getMessage());
        assertEquals(OptionalInt.of(2), e.line());
    }

    @Test
    void longNamesAreRejected() {
        String name = "a".repeat(64);

        assertEquals("Procfile line 1: process type 'aaaaaaaaaaaaaaaaaaaa...' is longer than 63 characters",
                failure(name + ": ./x\n").getMessage());
    }

    @Test
    void duplicateNamesAreAnError() {
        assertEquals("Procfile line 4: 'web' is declared twice (first on line 1)",
                failure("web: ./a\nworker: ./b\n\nweb: ./c\n").getMessage());
        assertEquals("Procfile line 2: 'static' is declared twice (first on line 1)",
                failure("static: public\nstatic: dist\n").getMessage());
        assertEquals("Procfile line 2: 'release' is declared twice (first on line 1)",
                failure("release: ./a\nrelease: ./b\n").getMessage());
    }

    @Test
    void upperCaseDuplicatesAreNotFolded() {
        // web and Web are not the same name: the second is an error of its own, not a duplicate
        assertEquals("Procfile line 2: process type 'Web' must be lower-case: write 'web'",
                failure("web: ./a\nWeb: ./b\n").getMessage());
    }

    @Test
    void controlCharactersAreRejected() {
        assertEquals("Procfile line 1: contains the control character U+0000", failure("web: ./a\0b\n").getMessage());
        assertEquals("Procfile line 2: contains the control character U+000D",
                failure("web: ./a\nworker: ./b\rc\n").getMessage());
        assertEquals("Procfile line 1: contains the control character U+001B", failure("web: \u001b[31m./a\n").getMessage());
    }

    @Test
    void tabsInsideACommandAreKept() throws ManifestException {
        assertEquals("./a\t--b", ProcfileParser.parse("web:\t./a\t--b\n").processes().get("web"));
    }
}
