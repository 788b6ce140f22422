package cloud.hop3.builder.staticsite;

import static cloud.hop3.plugin.testkit.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import cloud.hop3.api.build.BuildArtifact;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.Detection;
import cloud.hop3.api.build.StaticMapping;
import cloud.hop3.plugin.testkit.BuilderTestCase;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.RecordingBuildLog;

class StaticSiteBuilderTest extends BuilderTestCase {

    Path outside;
    StaticSiteBuilder builder = new StaticSiteBuilder(ComponentConfig.of(StaticSiteBuilder.Config.class));

    @BeforeEach
    void createOutside() throws IOException {
        outside = Files.createDirectory(tmp.resolve("outside"));
        write(outside.resolve("secret.txt"), "not for the web");
    }

    @Test
    void isNamedStatic() {
        assertEquals("static", builder.name());
    }

    @Nested
    class Detect {

        /** A Procfile's static line (comments and blank lines aside), public/index.html, or index.html. */
        static Stream<Arguments> siteMarkers() {
            Detection procfile = new Detection(150, "found static: www in Procfile");
            return Stream.of(Arguments.of("Procfile", "static: www\n", procfile),
                    Arguments.of("Procfile", "# web: python app.py\n\n   \n# static: old\nstatic: www\n", procfile),
                    Arguments.of("public/index.html", "<h1>hi</h1>", new Detection(50, "found public/index.html")),
                    Arguments.of("index.html", "<h1>hi</h1>", new Detection(20, "found index.html")));
        }

        @ParameterizedTest
        @MethodSource("siteMarkers")
        void aSiteMarkerIsClaimedWithItsPriority(String file, String content, Detection expected) throws IOException {
            write(source.resolve(file), content);

            assertEquals(Optional.of(expected), builder.detect(source));
        }

        @Test
        void procfileWinsOverPublicIndexWhichWinsOverRootIndex() throws IOException {
            write(source.resolve("index.html"), "root");
            write(source.resolve("public/index.html"), "public");
            assertEquals(50, builder.detect(source).orElseThrow().priority());

            write(source.resolve("Procfile"), "static: public\n");
            assertEquals(150, builder.detect(source).orElseThrow().priority());
        }

        @Test
        void prioritiesComeFromConfiguration() throws IOException {
            StaticSiteBuilder configured = new StaticSiteBuilder(ComponentConfig.of(StaticSiteBuilder.Config.class, "publicIndexPriority", 70, "rootIndexPriority", 30));
            write(source.resolve("index.html"), "root");
            assertEquals(30, configured.detect(source).orElseThrow().priority());

            write(source.resolve("public/index.html"), "public");
            assertEquals(70, configured.detect(source).orElseThrow().priority());
        }

        @Test
        void emptyDirectoryIsNoStaticSite() {
            assertEquals(Optional.empty(), builder.detect(source));
        }

        @Test
        void missingSourceIsNoStaticSite() {
            assertEquals(Optional.empty(), builder.detect(tmp.resolve("nowhere")));
        }

        @Test
        void procfileWithoutStaticOrWebFallsBackToIndexFiles() throws IOException {
            write(source.resolve("Procfile"), "worker: ./run-cron\n");
            write(source.resolve("index.html"), "root");

            assertEquals(Optional.of(new Detection(20, "found index.html")), builder.detect(source));
        }

        @Test
        void appWithWebProcessIsNotStatic() throws IOException {
            write(source.resolve("Procfile"), "static: public\nweb: gunicorn app:app\n");
            write(source.resolve("public/index.html"), "public");
            write(source.resolve("index.html"), "root");

            assertEquals(Optional.empty(), builder.detect(source));
        }

        @Test
        void readsWithoutWriting() throws IOException {
            write(source.resolve("public/index.html"), "public");
            Set<String> before = tree(tmp);

            builder.detect(source);

            assertEquals(before, tree(tmp));
        }
    }

    @Nested
    class Build {

        @Test
        void copiesPublicIntoSiteAndServesItAtTheRoot() throws Exception {
            write(source.resolve("public/index.html"), "<h1>hello</h1>");
            write(source.resolve("public/css/site.css"), "body { color: red }");
            write(source.resolve("app.py"), "print('not served')");

            BuildArtifact artifact = builder.build(request(Map.of()), log);

            assertEquals("<h1>hello</h1>", Files.readString(slug.resolve("site/index.html")));
            assertEquals("body { color: red }", Files.readString(slug.resolve("site/css/site.css")));
            assertFalse(Files.exists(slug.resolve("site/app.py")));
            assertEquals(slug, artifact.slug());
            assertEquals(List.of(new StaticMapping("/", "site")), artifact.runtime().statics());
            assertEquals(Map.of(), artifact.runtime().processes());
            assertEquals(Map.of(), artifact.runtime().env());
            assertEquals(List.of(), artifact.runtime().path());
            assertEquals(Optional.empty(), artifact.runtime().healthCheck());
            assertEquals(List.of("Building with static"), log.steps);
            assertEquals(List.of("Copied 2 files, 33 bytes, from public/"), log.infos);
            assertEquals(List.of(), log.warnings);
        }

        @Test
        void rootIndexServesTheWholeTreeButGit() throws Exception {
            write(source.resolve("index.html"), "root");
            write(source.resolve("about/index.html"), "about");
            write(source.resolve(".git/config"), "[core]");
            write(source.resolve("vendor/lib/.git"), "gitdir: ../../.git/modules/lib");
            write(source.resolve("vendor/lib/lib.js"), "lib()");

            builder.build(request(Map.of()), log);

            assertEquals(Set.of("site", "site/index.html", "site/about", "site/about/index.html", "site/vendor",
                    "site/vendor/lib", "site/vendor/lib/lib.js"), tree(slug));
            assertEquals("about", Files.readString(slug.resolve("site/about/index.html")));
            assertEquals(List.of("Copied 3 files, 14 bytes, from ./"), log.infos);
        }

        @Test
        void hiddenFilesAreNeverPublishedButWellKnownIs() throws Exception {
            write(source.resolve("index.html"), "root");
            write(source.resolve(".env"), "SECRET=1");
            write(source.resolve(".config/token"), "t");
            write(source.resolve(".well-known/security.txt"), "Contact: x");

            builder.build(request(Map.of()), log);

            assertEquals(Set.of("site", "site/index.html", "site/.well-known", "site/.well-known/security.txt"), tree(slug));
        }

        @Test
        void procfileStaticDirectoryIsCopied() throws Exception {
            write(source.resolve("Procfile"), "# a static site\nstatic: dist/www\n");
            write(source.resolve("dist/www/index.html"), "dist");
            write(source.resolve("public/index.html"), "not this one");

            builder.build(request(Map.of()), log);

            assertEquals(Set.of("site", "site/index.html"), tree(slug));
            assertEquals("dist", Files.readString(slug.resolve("site/index.html")));
            assertEquals(List.of("Copied 1 file, 4 bytes, from dist/www/"), log.infos);
        }

        @Test
        void otherProcfileLinesAreIgnoredWithAWarning() throws Exception {
            write(source.resolve("Procfile"), "static: www\nworker: ./cron\n");
            write(source.resolve("www/index.html"), "www");

            builder.build(request(Map.of()), log);

            assertEquals(List.of("Procfile line 2 (worker: ./cron) is ignored: a static site runs no processes."),
                    log.warnings);
        }

        @Test
        void refusesADirectoryOutsideTheSourceTree() throws IOException {
            write(source.resolve("Procfile"), "web2: x\n\nstatic: ../outside\n");

            assertEquals("Procfile line 3 says static: ../outside, which points outside the app; name a directory"
                    + " inside the repository, for example static: public", refusal());
        }

        @Test
        void refusesAnAbsoluteDirectoryOutsideTheSourceTree() throws IOException {
            write(source.resolve("Procfile"), "static: " + outside.toAbsolutePath() + "\n");

            String refused = refusal();

            assertTrue(refused.startsWith("Procfile line 1 says static: " + outside.toAbsolutePath()
                    + ", which points outside the app"), refused);
        }

        @Test
        void refusesADirectoryThatLinksOutside() throws IOException {
            write(outside.resolve("index.html"), "outside");
            Files.createSymbolicLink(source.resolve("public"), outside);

            assertEquals("public/ is a symbolic link that leads outside the app; make it a real directory in the"
                    + " repository.", refusal());
        }

        @Test
        void missingDirectoryIsNamed() throws IOException {
            write(source.resolve("Procfile"), "static: www\n");

            assertEquals("Procfile says static: www, but there is no directory www/", refusal());
        }

        @Test
        void fileInsteadOfDirectoryIsNamed() throws IOException {
            write(source.resolve("Procfile"), "static: www\n");
            write(source.resolve("www"), "a file");

            assertEquals("Procfile says static: www, but www is a file, not a directory.", refusal());
        }

        @Test
        void staticLineWithoutDirectoryIsRefused() throws IOException {
            write(source.resolve("Procfile"), "static:\n");

            assertEquals("Procfile line 1 says static: with no directory; name the directory to serve,"
                    + " for example static: public", refusal());
        }

        @Test
        void appWithWebProcessIsRefused() throws IOException {
            write(source.resolve("Procfile"), "web: gunicorn app:app\n");
            write(source.resolve("index.html"), "root");

            String refused = refusal();

            assertTrue(refused.startsWith("Procfile line 1 declares a web process"), refused);
        }

        @Test
        void treeWithoutSiteIsRefused() throws IOException {
            write(source.resolve("README.md"), "# nothing to serve");

            String refused = refusal();

            assertTrue(refused.startsWith("Found no static site"), refused);
        }

        @Test
        void linksLeadingOutsideAreSkippedWithAWarning() throws Exception {
            write(source.resolve("public/index.html"), "public");
            write(source.resolve("shared/logo.svg"), "<svg/>");
            Files.createSymbolicLink(source.resolve("public/leak.txt"), outside.resolve("secret.txt"));
            Files.createSymbolicLink(source.resolve("public/up.txt"), Path.of("../../outside/secret.txt"));
            Files.createSymbolicLink(source.resolve("public/dangling.txt"), source.resolve("nothing"));
            Files.createSymbolicLink(source.resolve("public/logo.svg"), Path.of("../shared/logo.svg"));

            builder.build(request(Map.of()), log);

            assertEquals(Set.of("site", "site/index.html", "site/logo.svg"), tree(slug));
            assertFalse(Files.isSymbolicLink(slug.resolve("site/logo.svg")));
            assertEquals("<svg/>", Files.readString(slug.resolve("site/logo.svg")));
            String why = ": it is a symbolic link that does not lead to a file inside the app.";
            assertEquals(List.of("Skipped public/dangling.txt" + why, "Skipped public/leak.txt" + why,
                    "Skipped public/up.txt" + why), log.warnings);
        }

        @Test
        void linkToADirectoryInsideIsSkippedWithAWarning() throws Exception {
            write(source.resolve("public/index.html"), "public");
            write(source.resolve("docs/guide.html"), "guide");
            Files.createSymbolicLink(source.resolve("public/docs"), Path.of("../docs"));

            builder.build(request(Map.of()), log);

            assertEquals(Set.of("site", "site/index.html"), tree(slug));
            assertEquals(List.of("Skipped public/docs: it is a symbolic link to a directory or special file;"
                    + " only links to files are copied."), log.warnings);
        }

        @Test
        void siteLargerThanTheLimitFails() throws IOException {
            builder = new StaticSiteBuilder(ComponentConfig.of(StaticSiteBuilder.Config.class, "maxSiteSizeMegabytes", 1));
            write(source.resolve("public/index.html"), "public");
            Files.write(source.resolve("public/a.bin"), new byte[600 * 1024]);
            Files.write(source.resolve("public/b.bin"), new byte[600 * 1024]);

            assertEquals("The site in public/ is larger than 1 MB, the limit set by maxSiteSizeMegabytes in"
                    + " cloud.hop3.builder.static; remove files from it or raise the limit.", failure());
        }

        @Test
        void siteWithinTheLimitIsCopied() throws Exception {
            builder = new StaticSiteBuilder(ComponentConfig.of(StaticSiteBuilder.Config.class, "maxSiteSizeMegabytes", 1));
            Files.createDirectories(source.resolve("public"));
            Files.write(source.resolve("public/index.html"), new byte[1024 * 1024]);

            builder.build(request(Map.of()), log);

            assertEquals(1024 * 1024, Files.size(slug.resolve("site/index.html")));
            assertEquals(List.of("Copied 1 file, 1.0 MB, from public/"), log.infos);
        }

        @Test
        void invalidSizeLimitFallsBackToTheDefault() throws Exception {
            builder = new StaticSiteBuilder(ComponentConfig.of(StaticSiteBuilder.Config.class, "maxSiteSizeMegabytes", 0));
            write(source.resolve("index.html"), "root");

            builder.build(request(Map.of()), log);

            assertTrue(Files.isRegularFile(slug.resolve("site/index.html")));
        }

        @Test
        void interruptIsHonoured() throws IOException {
            write(source.resolve("public/index.html"), "public");
            write(source.resolve("public/about.html"), "about");

            Thread.currentThread().interrupt();
            try {
                assertThrows(InterruptedException.class, () -> builder.build(request(Map.of()), log));
            } finally {
                Thread.interrupted();
            }
            assertFalse(Files.exists(slug.resolve("site/about.html")));
            assertFalse(Files.exists(slug.resolve("site/index.html")));
        }

        @Test
        void directoryWithoutFilesIsRefused() throws IOException {
            write(source.resolve("Procfile"), "static: www\n");
            write(source.resolve("www/.git/HEAD"), "ref: refs/heads/main");
            Files.createDirectories(source.resolve("www/empty"));

            assertEquals("www/ has no files to serve (.git is not copied); add the site's files to it.", failure());
        }

        @Test
        void directoryWithFilesButNoIndexBuildsWithAWarning() throws Exception {
            write(source.resolve("Procfile"), "static: downloads\n");
            write(source.resolve("downloads/tool.tar.gz"), "archive");

            builder.build(request(Map.of()), log);

            assertEquals("archive", Files.readString(slug.resolve("site/tool.tar.gz")));
            assertEquals(List.of("downloads/ has no index.html, so the site's root URL / shows no page."),
                    log.warnings);
        }

        @Test
        void buildingTwiceGivesTheSameSlug() throws Exception {
            write(source.resolve("public/index.html"), "public");
            write(source.resolve("public/js/app.js"), "app()");

            builder.build(request(Map.of()), log);
            Set<String> first = tree(slug);
            builder.build(request(Map.of()), new RecordingBuildLog());

            assertEquals(first, tree(slug));
            assertEquals("app()", Files.readString(slug.resolve("site/js/app.js")));
        }
    }

    /** The message of a build that refuses the app: it fails before it writes anything. */
    private String refusal() throws IOException {
        Set<String> before = tree(tmp);
        String message = failure();
        assertEquals(before, tree(tmp));
        return message;
    }

    /** The message of a build that fails. */
    private String failure() {
        return assertThrows(BuildException.class, () -> builder.build(request(Map.of()), log)).getMessage();
    }

    /** Every path below {@code root}, relative and with '/' separators, without following links. */
    private static Set<String> tree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> !p.equals(root))
                    .filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toSet());
        }
    }
}
