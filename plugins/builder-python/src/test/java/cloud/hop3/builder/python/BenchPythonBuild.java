package cloud.hop3.builder.python;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.build.BuildRequest;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.RecordingBuildLog;
import cloud.hop3.plugin.testkit.TestBuildCommands;
import cloud.hop3.plugin.support.files.Trees;

/**
 * Times {@link PythonBuilder#build} with the machine's python3, the way a redeploy runs it: a
 * fresh slug each time, the app's cache kept. Two apps: one that uses the standard library only,
 * and one whose requirements.txt pins a package of a local index ({@code file://}, no network).
 * The first build of the second app fills the cache; the following ones are redeploys with the
 * same requirements. Not a test: run {@code scripts/bench-python-build}, record the figures in
 * docs/benchmarks.md.
 */
public final class BenchPythonBuild {

    private BenchPythonBuild() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path work = Files.createTempDirectory("hop3-bench-python");
        try {
            String index = DemoIndex.write(work).toUri().toString();
            PythonBuilder builder = new PythonBuilder(ComponentConfig.of(PythonBuilder.Config.class), new TestBuildCommands(), System.getenv());

            Path stdlibCache = work.resolve("cache-stdlib");
            List<Long> stdlib = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                Path slug = Files.createDirectories(work.resolve("stdlib-" + i));
                Files.writeString(slug.resolve("requirements.txt"), "# standard library only\n");
                Files.writeString(slug.resolve("app.py"), "print('hello')\n");
                stdlib.add(time(builder, slug, stdlibCache, Map.of()));
            }

            Path cache = work.resolve("cache-requirements");
            List<Long> requirements = new ArrayList<>();
            for (int i = 0; i <= runs; i++) {
                Path slug = Files.createDirectories(work.resolve("requirements-" + i));
                Files.writeString(slug.resolve("requirements.txt"), "hop3-demo==1.0\n");
                requirements.add(time(builder, slug, cache, Map.of("PIP_INDEX_URL", index)));
            }

            System.out.printf("python builder, %d runs each, build() wall time in ms%n", runs);
            System.out.printf("stdlib-only app:                 %s%n", summary(stdlib));
            System.out.printf("requirements, first build:       %d%n", requirements.get(0));
            System.out.printf("requirements, same ones again:   %s%n", summary(requirements.subList(1, requirements.size())));
        } finally {
            Trees.delete(work);
        }
    }

    private static long time(PythonBuilder builder, Path slug, Path cache, Map<String, String> configVars)
            throws Exception {
        BuildRequest request = new BuildRequest(AppName.of("bench"), slug, slug, cache, configVars,
                Duration.ofMinutes(5));
        long start = System.nanoTime();
        builder.build(request, new RecordingBuildLog());
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static String summary(List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return String.format("median %d, min %d, max %d (%s)", sorted.get(sorted.size() / 2), sorted.get(0),
                sorted.get(sorted.size() - 1), millis);
    }

    /** Deletes the bench's files without following links (slugs link into the cache). */
}
