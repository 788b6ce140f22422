package cloud.hop3.builder.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import cloud.hop3.api.build.BuildArtifact;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.Detection;
import cloud.hop3.plugin.testkit.BuilderTestCase;
import cloud.hop3.plugin.testkit.ComponentConfig;

/** Builds with the real npm of the machine, against the public npm registry. */
class NodeBuilderTest extends BuilderTestCase {

    static final String IS_NUMBER_LOCK = """
            {
              "name": "demo",
              "version": "1.0.0",
              "lockfileVersion": 3,
              "requires": true,
              "packages": {
                "": {
                  "name": "demo",
                  "version": "1.0.0",
                  "dependencies": {
                    "is-number": "7.0.0"
                  }
                },
                "node_modules/is-number": {
                  "version": "7.0.0",
                  "resolved": "https://registry.npmjs.org/is-number/-/is-number-7.0.0.tgz",
                  "integrity": "sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng==",
                  "engines": {
                    "node": ">=0.12.0"
                  }
                }
              }
            }
            """;
    static final String IS_NUMBER_APP = "{\"name\": \"demo\", \"version\": \"1.0.0\","
            + " \"dependencies\": {\"is-number\": \"7.0.0\"}}";

    final NodeBuilder builder = new NodeBuilder(ComponentConfig.of(NodeBuilder.Config.class), commands, System.getenv());

    @Test
    void isNamedNode() {
        assertEquals("node", builder.name());
    }

    @Nested
    class Detect {

        @Test
        void packageJsonMakesANodeApp() throws IOException {
            Files.writeString(source.resolve("package.json"), "{}");

            assertClaims(builder, new Detection(100, "found package.json"), priority -> new NodeBuilder(
                    ComponentConfig.of(NodeBuilder.Config.class, "priority", priority), commands, Map.of()));
        }

        @Test
        void otherTreesAreNotClaimed() throws IOException {
            assertClaimsOnlyItsFiles(builder, Map.of("package.json", "{}"), Map.of("server.js", ""));
        }
    }

    @Nested
    class Build {

        @Test
        void installsARealDependencyWithNpmInstall() throws Exception {
            Files.writeString(slug.resolve("package.json"), IS_NUMBER_APP);

            BuildArtifact artifact = builder.build(request(Map.of()), log);

            assertEquals(List.of("Building with node"), log.steps);
            assertEquals(List.of(List.of("npm", "install", "--no-audit", "--no-fund")), commands());
            assertTrue(log.infos.contains("Installing dependencies with npm install; commit package-lock.json for"
                    + " repeatable builds"), log.infos.toString());
            assertTrue(Files.readString(slug.resolve("node_modules/is-number/package.json")).contains("\"7.0.0\""));
            assertTrue(Files.isDirectory(cache.resolve("npm")), "npm's cache is the app's");
            assertEquals(cache.resolve("npm").toString(), commands.runs.get(0).env().get("NPM_CONFIG_CACHE"));
            assertEquals(Map.of(), artifact.runtime().processes());
            assertEquals(Map.of("NODE_ENV", "production"), artifact.runtime().env());
            assertEquals(List.of("node_modules/.bin"), artifact.runtime().path());
            assertEquals(slug, artifact.slug());
        }

        @Test
        void lockfileAppInstallsWithNpmCi() throws Exception {
            Files.writeString(slug.resolve("package.json"), IS_NUMBER_APP);
            Files.writeString(slug.resolve("package-lock.json"), IS_NUMBER_LOCK);

            builder.build(request(Map.of()), log);

            assertTrue(log.infos.contains("Installing dependencies with npm ci, as package-lock.json says"),
                    log.infos.toString());
            assertEquals(List.of(List.of("npm", "ci", "--no-audit", "--no-fund")), commands());
            assertTrue(Files.isRegularFile(slug.resolve("node_modules/is-number/index.js")));
        }

        @Test
        void nonexistentPackageFailsTheBuildWithNpmsReason() throws IOException {
            Files.writeString(slug.resolve("package.json"),
                    "{\"name\": \"demo\", \"dependencies\": {\"hop3-test-no-such-package-4c1d9e\": \"^1.0.0\"}}");

            BuildException e = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));

            assertTrue(e.getMessage().startsWith("npm install could not install the dependencies of package.json: 404"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("hop3-test-no-such-package-4c1d9e"), e.getMessage());
        }

        @Test
        void registryComesFromTheAppsConfigVars() throws IOException {
            Files.writeString(slug.resolve("package.json"), IS_NUMBER_APP);
            String registry = "http://127.0.0.1:" + closedPort() + "/";
            long start = System.nanoTime();

            BuildException e = assertThrows(BuildException.class, () -> builder.build(
                    request(Map.of("NPM_CONFIG_REGISTRY", registry, "NPM_CONFIG_FETCH_RETRIES", "0")), log));

            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60), "failed within a minute");
            assertTrue(e.getMessage().startsWith("npm install could not install the dependencies of package.json:"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("ECONNREFUSED"), e.getMessage());
            assertTrue(log.infos.contains("Installing dependencies with npm install from " + registry
                    + "; commit package-lock.json for repeatable builds"), log.infos.toString());
            assertEquals(registry, commands.runs.get(0).env().get("NPM_CONFIG_REGISTRY"));
        }

        @Test
        void buildScriptRunsWithTheAppsConfigVarsInProduction() throws Exception {
            Files.writeString(slug.resolve("package.json"), """
                    {"name": "demo", "version": "1.0.0", "scripts": {
                      "build": "node -e \\"require('fs').writeFileSync('built.txt', process.env.NODE_ENV + ' ' + process.env.HOP3_GREETING)\\"",
                      "start": "node server.js"}}
                    """);

            BuildArtifact artifact = builder.build(request(Map.of("HOP3_GREETING", "hello")), log);

            assertEquals(List.of(List.of("npm", "install", "--no-audit", "--no-fund"), List.of("npm", "run", "build")),
                    commands());
            assertEquals("production hello", Files.readString(slug.resolve("built.txt")));
            assertEquals(Map.of("web", "npm start"), artifact.runtime().processes());
            assertTrue(log.infos.contains("Default web process: npm start (a Procfile line for web wins)"),
                    log.infos.toString());
            assertTrue(!commands.runs.get(0).env().containsKey("HOP3_GREETING"), "install sees no app config vars");
        }

        @Test
        void appsOwnNodeEnvWins() throws Exception {
            Files.writeString(slug.resolve("package.json"), """
                    {"name": "demo", "version": "1.0.0", "scripts": {
                      "build": "node -e \\"require('fs').writeFileSync('built.txt', process.env.NODE_ENV)\\""}}
                    """);

            BuildArtifact artifact = builder.build(request(Map.of("NODE_ENV", "staging")), log);

            assertEquals("staging", Files.readString(slug.resolve("built.txt")));
            assertEquals(Map.of(), artifact.runtime().env(), "the app's config var is already in its environment");
        }

        @Test
        void failingBuildScriptFailsTheBuild() throws IOException {
            Files.writeString(slug.resolve("package.json"),
                    "{\"name\": \"demo\", \"scripts\": {\"build\": \"echo compiling && exit 3\"}}");

            BuildException e = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));

            assertTrue(e.getMessage().startsWith("`npm run build` failed with exit status"), e.getMessage());
            assertTrue(log.infos.contains("compiling"), log.infos.toString());
        }

        @Test
        void malformedPackageJsonFailsBeforeNpmRuns() throws IOException {
            Files.writeString(slug.resolve("package.json"), "{\n  \"name\": \"demo\",\n}\n");

            BuildException e = assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log));

            assertTrue(e.getMessage().startsWith("package.json is not valid JSON at line 3, column 1: "), e.getMessage());
            assertTrue(commands.runs.isEmpty());
        }
    }

    @Test
    void defaultWebProcessIsNpmStartElseServerJs() throws Exception {
        PackageJson withStart = PackageJson.parse("{\"scripts\": {\"start\": \"node app.js\"}}".getBytes());
        PackageJson without = PackageJson.parse("{\"scripts\": {\"test\": \"jest\"}}".getBytes());

        assertEquals(Optional.empty(), NodeBuilder.defaultWeb(without, slug));
        Files.writeString(slug.resolve("server.js"), "");
        assertEquals(Optional.of("node server.js"), NodeBuilder.defaultWeb(without, slug));
        assertEquals(Optional.of("npm start"), NodeBuilder.defaultWeb(withStart, slug));
    }
}
