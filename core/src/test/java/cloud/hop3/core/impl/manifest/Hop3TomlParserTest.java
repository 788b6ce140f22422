package cloud.hop3.core.impl.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.build.HealthCheck;
import cloud.hop3.api.build.StaticMapping;

class Hop3TomlParserTest {

    private static ManifestException failure(String toml) {
        return assertThrows(ManifestException.class, () -> Hop3TomlParser.parse(toml));
    }

    /** A complete file in the shape of Hop3's ADR 002, with every section it documents. */
    private static final String FULL = """
            # A collaborative markdown editor, packaged for Hop3.

            [metadata]
            id = "notes"
            version = "1.9.7"
            title = "Notes"
            author = "The notes authors"
            description = "Write and share markdown together"
            tagline = "Markdown, together"
            website = "https://notes.example.org/"
            tags = ["Markdown", "Documentation", "Collaboration"]
            profile = "small"
            release = 3

            [build]
            license = "AGPL-3.0"
            toolchain = "node"
            packages = ["build-essential"]
            meta-packages = ["postgres-client"]
            before-build = [
                "npm ci",        # dependencies first
                "npm run lint",
            ]
            build = "npm run build"
            after-build = ["rm -rf node_modules/.cache"]
            test = "node -e 'require(\\"./dist/server.js\\")'"

            [run]
            packages = ["fontconfig", "fonts-noto"]
            start = "node dist/server.js --port $PORT"
            before-run = ["npm run db:migrate", "npm run db:seed"]
            start-timeout = 90

            [run.workers]
            worker = "node dist/worker.js"
            cron = [
                "*/10 * * * * node dist/cleanup.js",
                "0 4 * * sun  node dist/report.js --weekly",
            ]

            [run.scale]
            web = 2
            worker = 3

            [env]
            NODE_ENV = "production"
            DEBUG = false
            UPLOADS_MODE = "0700"
            MAX_UPLOAD_MB = 25
            RATIO = 0.75
            TZ = "Europe/Paris"

            [port.web]
            container = 3000
            public = true

            [healthcheck]
            path = "/status"
            timeout = 45
            interval = 10
            retries = 3

            [static]
            "/assets" = "dist/assets"
            "/uploads" = "public/uploads/"

            [backup]
            paths = ["public/uploads"]

            [[provider]]
            name = "database"
            type = "postgres"
            version = ">=14, <15"

            [provider.backup]
            method = "pg_dumpall"
            frequency = "24h"

            [[addons]]
            type = "redis"

            [domains]
            list = ["notes.example.org"]
            """;

    @Test
    void readsARealisticFullFile() throws ManifestException {
        Hop3Toml t = Hop3TomlParser.parse(FULL);

        assertEquals(Map.of("web", "node dist/server.js --port $PORT", "worker", "node dist/worker.js"), t.processes());
        assertEquals(List.of("web", "worker"), List.copyOf(t.processes().keySet()));
        assertEquals(Optional.of("npm run db:migrate && npm run db:seed"), t.release());
        assertEquals(2, t.cron().size());
        assertEquals("*/10 * * * *", t.cron().get(0).schedule().toString());
        assertEquals("node dist/cleanup.js", t.cron().get(0).command());
        assertEquals("0 4 * * sun", t.cron().get(1).schedule().toString());
        assertEquals("node dist/report.js --weekly", t.cron().get(1).command());
        assertEquals("0 4 * * sun  node dist/report.js --weekly", t.cron().get(1).line());
        assertEquals(Optional.of("node"), t.builder());
        assertEquals(List.of("npm ci", "npm run lint", "npm run build", "rm -rf node_modules/.cache"), t.buildCommands());
        assertEquals(Map.of("web", 2, "worker", 3), t.scale());
        assertEquals(List.of(new StaticMapping("/assets", "dist/assets"), new StaticMapping("/uploads", "public/uploads")),
                t.statics());
        assertEquals(Optional.of(new HealthCheck("/status", "", Duration.ofSeconds(45))), t.healthCheck());
        assertEquals(Map.of("NODE_ENV", "production", "DEBUG", "false", "UPLOADS_MODE", "0700", "MAX_UPLOAD_MB", "25",
                "RATIO", "0.75", "TZ", "Europe/Paris"), t.env());
        assertEquals(List.of("NODE_ENV", "DEBUG", "UPLOADS_MODE", "MAX_UPLOAD_MB", "RATIO", "TZ"), List.copyOf(t.env().keySet()));
    }

    @Test
    void anEmptyFileDeclaresNothing() throws ManifestException {
        Hop3Toml t = Hop3TomlParser.parse("# nothing yet\n");

        assertTrue(t.processes().isEmpty());
        assertEquals(Optional.empty(), t.release());
        assertEquals(Optional.empty(), t.builder());
        assertEquals(Optional.empty(), t.healthCheck());
        assertTrue(t.env().isEmpty());
    }

    @Test
    void startAsAListIsJoined() throws ManifestException {
        Hop3Toml t = Hop3TomlParser.parse("""
                [run]
                start = ["./init-db", "gunicorn app:app -b 0.0.0.0:$PORT"]
                """);

        assertEquals(Map.of("web", "./init-db && gunicorn app:app -b 0.0.0.0:$PORT"), t.processes());
    }

    @Test
    void aWebWorkerStandsForStart() throws ManifestException {
        Hop3Toml t = Hop3TomlParser.parse("""
                [run.workers]
                web = "./serve"
                """);

        assertEquals(Map.of("web", "./serve"), t.processes());
    }

    @Test
    void aSingleCronWorkerIsOneEntry() throws ManifestException {
        Hop3Toml t = Hop3TomlParser.parse("[run.workers]\ncron = \"0 3 * * * ./nightly\"\n");

        assertEquals(1, t.cron().size());
        assertEquals("./nightly", t.cron().get(0).command());
        assertTrue(t.processes().isEmpty(), "cron is not a long-running process");
    }

    @Test
    void releaseIsAcceptedForBeforeRun() throws ManifestException {
        assertEquals(Optional.of("./migrate"), Hop3TomlParser.parse("[run]\nrelease = \"./migrate\"\n").release());
    }

    @Test
    void builderAutoAndLocalMeanDetect() throws ManifestException {
        assertEquals(Optional.empty(), Hop3TomlParser.parse("[build]\nbuilder = \"auto\"\n").builder());
        assertEquals(Optional.empty(), Hop3TomlParser.parse("[build]\nbuilder = \"local\"\n").builder());
        assertEquals(Optional.of("python"), Hop3TomlParser.parse("[build]\nbuilder = \"local\"\ntoolchain = \"python\"\n").builder());
        assertEquals(Optional.of("python"), Hop3TomlParser.parse("[build]\nbuilder = \"python\"\n").builder());
        assertEquals(Optional.of("ruby"), Hop3TomlParser.parse("[build]\nbuilder = { name = \"ruby\", version = \"3.2\" }\n").builder());
    }

    @Test
    void legacyRunHealthcheckFields() throws ManifestException {
        Hop3Toml t = Hop3TomlParser.parse("""
                [run]
                start = "./web"
                healthcheck = "/up"
                healthcheck-timeout = 12
                """);

        assertEquals(Optional.of(new HealthCheck("/up", "", Duration.ofSeconds(12))), t.healthCheck());
    }

    @Test
    void healthcheckTimeoutDefaultsToStartTimeoutThenThirtySeconds() throws ManifestException {
        assertEquals(Duration.ofMillis(7500), Hop3TomlParser.parse("""
                [run]
                start-timeout = 7.5
                [healthcheck]
                path = "/"
                """).healthCheck().orElseThrow().timeout());
        assertEquals(Optional.of(new HealthCheck("/health", "ok", Duration.ofSeconds(30))), Hop3TomlParser.parse("""
                [healthcheck]
                path = "/health"
                contains = "ok"
                """).healthCheck());
    }

    @Test
    void envValuesBecomeText() throws ManifestException {
        Hop3Toml t = Hop3TomlParser.parse("""
                [env]
                _policy = "override"
                A = 1
                B = -3
                C = true
                D = 1e3
                E = 0x1F
                F = 1979-05-27T07:32:00Z
                G = ""
                _UNDERSCORE = "x"
                lower_case = "ok"
                H = inf
                """);

        assertEquals(Map.of("A", "1", "B", "-3", "C", "true", "D", "1000", "E", "31", "F", "1979-05-27T07:32:00Z",
                "G", "", "_UNDERSCORE", "x", "lower_case", "ok", "H", "inf"), t.env());
    }

    // ---- errors, each naming its line

    @Test
    void unknownFieldInBuildNamesTheLine() {
        ManifestException e = failure("""
                [metadata]
                id = "shop"

                [build]
                toolchain = "python"
                # a typo follows
                bulid = "make"
                """);

        assertEquals("hop3.toml line 7: unknown field 'bulid' in [build]", e.getMessage());
        assertEquals(OptionalInt.of(7), e.line());
        assertEquals("hop3.toml", e.file());
    }

    @Test
    void unknownFieldsInEachImplementedSection() {
        assertEquals("hop3.toml line 3: unknown field 'strat' in [run]",
                failure("[run]\nstart = \"./a\"\nstrat = \"./b\"\n").getMessage());
        assertEquals("hop3.toml line 2: unknown field 'url' in [healthcheck]",
                failure("[healthcheck]\nurl = \"/\"\npath = \"/\"\n").getMessage());
        assertEquals("hop3.toml line 4: unknown field 'bulid' in [build]",
                failure("[run]\nstart = \"./a\"\n[build]\nbulid = \"x\"\n").getMessage());
        assertEquals("hop3.toml line 2: unknown field 'timeout' in [build] builder",
                failure("[build]\nbuilder = { name = \"ruby\", timeout = 3 }\n").getMessage());
    }

    @Test
    void unknownFieldsAreFoundWhereverTheyAreWritten() {
        // a dotted key at the top level
        assertEquals("hop3.toml line 3: unknown field 'bulid' in [build]",
                failure("\n\nbuild.bulid = \"make\"\n").getMessage());
        // an inline table
        assertEquals("hop3.toml line 2: unknown field 'strat' in [run]",
                failure("\nrun = { start = \"./a\", strat = \"./b\" }\n").getMessage());
        // after a multi-line string that looks like keys
        assertEquals("hop3.toml line 7: unknown field 'bulid' in [build]", failure("""
                [build]
                build = \"\"\"
                bulid = 1
                [run]
                \"\"\"
                toolchain = "go"
                bulid = "x"
                """).getMessage());
    }

    @Test
    void unknownTablesAreErrors() {
        assertEquals("hop3.toml line 3: unknown table [bulid]", failure("[run]\nstart = \"x\"\n[bulid]\na = 1\n").getMessage());
        assertEquals("hop3.toml line 1: unknown table [[services]]", failure("[[services]]\nname = \"x\"\n").getMessage());
        assertEquals("hop3.toml line 2: unknown field 'name' at the top level", failure("\nname = \"shop\"\n").getMessage());
        assertEquals("hop3.toml line 1: unknown table [source]", failure("[source.nodejs]\nversion = \"20\"\n").getMessage());
    }

    @Test
    void documentedTablesThatAreNotReadAreAccepted() throws ManifestException {
        Hop3TomlParser.parse("""
                [metadata]
                id = "x"
                anything = "goes here"
                [port.web]
                container = 3000
                [docker]
                port = 8080
                [contexts.prod]
                server = "main"
                [test]
                priority = "P1"
                [nix]
                template = "python"
                [backup]
                paths = ["data"]
                [domains]
                list = ["a.example"]
                [[provider]]
                name = "pg"
                [[addons]]
                type = "postgres"
                """);
    }

    @Test
    void componentsAreNotSupportedYet() {
        assertEquals("hop3.toml line 2: [[component]] (Hop3 ADR 038) is not supported yet; declare processes with"
                + " [run] start and [run.workers]", failure("\n[[component]]\nname = \"web\"\n").getMessage());
    }

    @Test
    void fieldsThatWouldChangeTheBuildAreNotSupportedYet() {
        assertEquals("hop3.toml line 3: [build] project is a Hop3 field that this platform does not support yet",
                failure("[build]\nbuild = \"make\"\nproject = \"./src\"\n").getMessage());
        assertEquals("hop3.toml line 2: [build] git-url is a Hop3 field that this platform does not support yet",
                failure("[build]\ngit-url = \"https://example.org/x.git\"\n").getMessage());
        assertEquals("hop3.toml line 2: [healthcheck] command is a Hop3 field that this platform does not support yet",
                failure("[healthcheck]\ncommand = \"node check.mjs\"\ninterval = 10\n").getMessage());
    }

    @Test
    void syntaxErrorsNameTheLine() {
        ManifestException e = failure("[run]\nstart = \"./a\"\n\n[build\n");
        assertEquals(OptionalInt.of(4), e.line());
        assertTrue(e.getMessage().startsWith("hop3.toml line 4: not valid TOML: "), e.getMessage());

        assertEquals(OptionalInt.of(2), failure("[run]\nstart = ./a\n").line());
        assertEquals(OptionalInt.of(3), failure("[env]\nA = \"1\"\nB = \"unterminated\n").line());
    }

    @Test
    void duplicateKeysNameTheSecondOne() {
        ManifestException e = failure("[env]\nA = \"1\"\nB = \"2\"\nA = \"3\"\n");

        assertEquals("hop3.toml line 4: not valid TOML: Duplicate key", e.getMessage());
    }

    @Test
    void redefinedTablesNameTheLine() {
        assertEquals(OptionalInt.of(3), failure("[run]\nstart = \"a\"\n[run]\n").line());
    }

    @Test
    void deepNestingIsRefused() {
        ManifestException e = failure("a = " + "[".repeat(5000));

        assertTrue(e.getMessage().startsWith("hop3.toml: is nested too deeply"), e.getMessage());
    }

    @Test
    void typesAreChecked() {
        assertEquals("hop3.toml line 2: [run] start must be a command or a list of commands",
                failure("[run]\nstart = 42\n").getMessage());
        assertEquals("hop3.toml line 2: [build] packages must be a list of strings",
                failure("[build]\npackages = \"curl\"\n").getMessage());
        assertEquals("hop3.toml line 2: [healthcheck] timeout must be a number",
                failure("[healthcheck]\ntimeout = \"30s\"\npath = \"/\"\n").getMessage());
        assertEquals("hop3.toml line 1: 'run' must be a table: [run]", failure("run = \"./web\"\n").getMessage());
        assertEquals("hop3.toml line 3: [run] before-run must be a command or a list of commands",
                failure("[run]\nstart = \"a\"\nbefore-run = [1, 2]\n").getMessage());
    }

    @Test
    void badCommandsAreErrors() {
        assertEquals("hop3.toml line 2: [run] start has an empty command", failure("[run]\nstart = \" \"\n").getMessage());
        assertEquals("hop3.toml line 2: [run] start is an empty list", failure("[run]\nstart = []\n").getMessage());
        assertEquals("hop3.toml line 3: [build] build has an empty command",
                failure("[build]\n\nbuild = [\"make\", \"\"]\n").getMessage());
        assertEquals("hop3.toml line 2: [run] start contains a NUL character",
                failure("[run]\nstart = \"a\\u0000b\"\n").getMessage());
    }

    @Test
    void workersFollowTheProcessNameRules() {
        assertEquals("hop3.toml line 3: [run.workers] process type 'Worker' must be lower-case: write 'worker'",
                failure("[run.workers]\nmail = \"./m\"\nWorker = \"./w\"\n").getMessage());
        assertEquals("hop3.toml line 2: [run.workers] process type 'my worker' is not valid: use lower-case letters,"
                + " digits, '-' and '_', starting with a letter", failure("[run.workers]\n\"my worker\" = \"./w\"\n").getMessage());
        assertEquals("hop3.toml line 2: [run.workers] mail must be a command", failure("[run.workers]\nmail = 3\n").getMessage());
        assertEquals("hop3.toml line 4: the web process is given twice: [run] start and [run.workers] web",
                failure("[run]\nstart = \"./a\"\n[run.workers]\nweb = \"./b\"\n").getMessage());
        assertEquals("hop3.toml line 2: give the release command as [run] before-run, not as a worker",
                failure("[run.workers]\nrelease = \"./m\"\n").getMessage());
        assertEquals("hop3.toml line 2: give static directories in [static], not as a worker",
                failure("[run.workers]\nstatic = \"public\"\n").getMessage());
        assertTrue(failure("[run.workers]\nwsgi = \"app:app\"\n").getMessage()
                .startsWith("hop3.toml line 2: 'wsgi' (uWSGI loading a module) is not supported"));
    }

    @Test
    void badCronWorkersNameTheLineAndTheField() {
        assertEquals("hop3.toml line 3: [run.workers] cron hour field '25': 25 is out of range 0-23",
                failure("[run.workers]\n\ncron = [\"0 25 * * * ./x\"]\n").getMessage());
        assertEquals("hop3.toml line 2: [run.workers] cron needs five schedule fields and a command, for example"
                + " \"0 3 * * * ./nightly.sh\"", failure("[run.workers]\ncron = \"@daily ./x\"\n").getMessage());
        assertEquals("hop3.toml line 2: [run.workers] cron must be \"<minute> <hour> <day> <month> <weekday> <command>\""
                + " or a list of them", failure("[run.workers]\ncron = 5\n").getMessage());
    }

    @Test
    void releaseGivenTwiceIsAnError() {
        assertEquals("hop3.toml line 3: [run] before-run and release both give the release command; keep before-run",
                failure("[run]\nbefore-run = \"./a\"\nrelease = \"./b\"\n").getMessage());
    }

    @Test
    void scaleCountsAreChecked() {
        assertEquals("hop3.toml line 3: [run.scale] web must be a whole number from 0 to 100",
                failure("[run.scale]\nworker = 1\nweb = -1\n").getMessage());
        assertEquals("hop3.toml line 2: [run.scale] web must be a whole number from 0 to 100",
                failure("[run.scale]\nweb = 1.5\n").getMessage());
        assertEquals("hop3.toml line 2: [run.scale] web must be a whole number from 0 to 100",
                failure("[run.scale]\nweb = 101\n").getMessage());
        assertEquals("hop3.toml line 2: [run.scale] web must be a whole number from 0 to 100",
                failure("[run.scale]\nweb = 4294967297\n").getMessage());
    }

    @Test
    void staticsStayInsideTheApp() {
        assertEquals("hop3.toml line 2: [static] the static directory '../etc' leaves the app ('..')",
                failure("[static]\n\"/x\" = \"../etc\"\n").getMessage());
        assertEquals("hop3.toml line 3: [static] the URL prefix 'assets' must start with '/' and hold only URL path characters",
                failure("[static]\n\"/ok\" = \"a\"\nassets = \"b\"\n").getMessage());
        assertEquals("hop3.toml line 2: [static] '/x' must be a directory name", failure("[static]\n\"/x\" = 1\n").getMessage());
        assertEquals("hop3.toml line 4: [run.static] the URL prefix '/a' is mapped twice",
                failure("[static]\n\"/a\" = \"a\"\n[run.static]\n\"/a/\" = \"b\"\n").getMessage());
    }

    @Test
    void envKeysAndValuesAreChecked() {
        assertEquals("hop3.toml line 3: [env] Invalid config var name 'MY-VAR': use letters, digits and underscores,"
                + " not starting with a digit.", failure("[env]\nA = \"1\"\n\"MY-VAR\" = \"x\"\n").getMessage());
        assertEquals("hop3.toml line 2: [env] Invalid config var name '1ST': use letters, digits and underscores,"
                + " not starting with a digit.", failure("[env]\n1ST = \"x\"\n").getMessage());
        assertEquals("hop3.toml line 2: [env] Invalid config var name '" + "A".repeat(40) + "...': at most 255 characters.",
                failure("[env]\n" + "A".repeat(256) + " = \"x\"\n").getMessage());
        assertEquals("hop3.toml line 2: [env] DB_HOST: values taken from add-ons or generated ({ from = ..., key = ... },"
                + " { random = ... }) are not supported yet; give a plain value",
                failure("[env]\nDB_HOST = { from = \"database\", key = \"hostname\" }\n").getMessage());
        assertEquals("hop3.toml line 2: [env] computed: values taken from add-ons or generated ({ from = ..., key = ... },"
                + " { random = ... }) are not supported yet; give a plain value",
                failure("[env]\n[env.computed]\nURL = \"${A}\"\n").getMessage());
        assertEquals("hop3.toml line 2: [env] LIST must be a string, a number or a boolean",
                failure("[env]\nLIST = [1, 2]\n").getMessage());
        assertEquals("hop3.toml line 2: [env] _policy must be \"keep-existing\" or \"override\"",
                failure("[env]\n_policy = \"merge\"\n").getMessage());
    }

    @Test
    void healthChecksAreChecked() {
        assertEquals("hop3.toml line 1: [healthcheck] needs a path, for example path = \"/health\"",
                failure("[healthcheck]\ninterval = 10\n").getMessage());
        assertEquals("hop3.toml line 2: the health check path 'health' must start with '/' and have no spaces",
                failure("[healthcheck]\npath = \"health\"\n").getMessage());
        assertEquals("hop3.toml line 3: [healthcheck] timeout must be a number of seconds above 0 and at most 3600",
                failure("[healthcheck]\npath = \"/\"\ntimeout = 0\n").getMessage());
        assertEquals("hop3.toml line 4: the health check path is given twice: [healthcheck] path and [run] healthcheck;"
                + " keep [healthcheck]", failure("[healthcheck]\npath = \"/\"\n[run]\nhealthcheck = \"/up\"\n").getMessage());
    }

    @Test
    void buildersAreChecked() {
        assertEquals("hop3.toml line 3: [build] builder 'docker' and toolchain 'python' disagree; give one of them",
                failure("[build]\nbuilder = \"docker\"\ntoolchain = \"python\"\n").getMessage());
        assertEquals("hop3.toml line 2: 'Py thon' is not a builder name: use lower-case letters, digits, '.', '-' and '_'",
                failure("[build]\ntoolchain = \"Py thon\"\n").getMessage());
        assertEquals("hop3.toml line 2: [build] builder = { name = ..., version = ... } needs a name",
                failure("[build]\nbuilder = { version = \"3\" }\n").getMessage());
        assertEquals("hop3.toml line 2: [build] builder must be a name or { name = ..., version = ... }",
                failure("[build]\nbuilder = 3\n").getMessage());
    }

    @Test
    void linesAreCountedRightWithCrlfEndings() {
        assertEquals("hop3.toml line 3: unknown field 'a' in [run]",
                failure("[run]\r\nstart = \"./w\"\r\na = 1\r\n").getMessage());
    }
}
