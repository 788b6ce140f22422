package cloud.hop3.core.impl.manifest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cloud.hop3.api.build.HealthCheck;
import cloud.hop3.api.build.StaticMapping;

/**
 * Reads the app contract from a checked-out source tree: {@code Procfile}, {@code hop3.toml} and
 * {@code app.json} at its root, any of which may be missing, and merges them with the
 * precedence hop3.toml &gt; Procfile &gt; app.json &gt; defaults:
 * <ul>
 * <li>processes: by name, hop3.toml replacing a Procfile entry of the same name and adding its
 * own after the Procfile's;</li>
 * <li>release command, health check, builder: the first source that gives one;</li>
 * <li>cron entries and build commands: all those of the first source that gives any;</li>
 * <li>statics: by URL prefix, hop3.toml replacing the Procfile's;</li>
 * <li>env: by key, hop3.toml over app.json;</li>
 * <li>add-ons: all those of hop3.toml {@code [[addons]]}, else of app.json {@code addons};</li>
 * <li>formation: one entry per process, from hop3.toml {@code [run.scale]}, else app.json
 * {@code formation}, else 1.</li>
 * </ul>
 * A tree with none of the three files gives {@link AppManifest#empty()}. Pure functions: no
 * state, no OSGi, safe from any thread.
 */
public final class ManifestParser {

    private ManifestParser() {
    }

    /**
     * Parses and merges the contract files of a source tree.
     *
     * @param sourceDirectory the root of the checked-out app
     * @throws ManifestException        naming the file and line of the first problem found
     * @throws IllegalArgumentException when {@code sourceDirectory} is not a directory
     */
    public static AppManifest parse(Path sourceDirectory) throws ManifestException {
        if (!Files.isDirectory(sourceDirectory)) {
            throw new IllegalArgumentException("Not a directory: " + sourceDirectory);
        }
        Path dir = sourceDirectory.toAbsolutePath().normalize();
        Optional<String> procfileText = ManifestFiles.read(dir, ProcfileParser.FILE);
        Optional<String> tomlText = ManifestFiles.read(dir, Hop3TomlParser.FILE);
        Optional<String> appJsonText = ManifestFiles.read(dir, AppJsonParser.FILE);
        if (procfileText.isEmpty() && tomlText.isEmpty() && appJsonText.isEmpty()) {
            return AppManifest.empty();
        }
        Procfile procfile = procfileText.isPresent() ? ProcfileParser.parse(procfileText.get()) : ProcfileParser.parse("");
        Hop3Toml toml = tomlText.isPresent() ? Hop3TomlParser.parse(tomlText.get()) : Hop3TomlParser.parse("");
        AppJson appJson = appJsonText.isPresent() ? AppJsonParser.parse(appJsonText.get()) : AppJsonParser.parse("{}");
        return merge(procfile, toml, appJson);
    }

    static AppManifest merge(Procfile procfile, Hop3Toml toml, AppJson appJson) throws ManifestException {
        Map<String, String> processes = new LinkedHashMap<>(procfile.processes());
        processes.putAll(toml.processes());

        Optional<String> release = first(toml.release(), procfile.release(), appJson.release());
        Optional<HealthCheck> healthCheck = first(toml.healthCheck(), Optional.empty(), appJson.healthCheck());
        List<CronEntry> cron = firstNonEmpty(toml.cron(), procfile.cron(), appJson.cron());
        List<String> buildCommands = firstNonEmpty(toml.buildCommands(), procfile.buildCommands(), List.of());

        Map<String, StaticMapping> statics = new LinkedHashMap<>();
        for (StaticMapping mapping : procfile.statics()) {
            statics.put(mapping.urlPrefix(), mapping);
        }
        for (StaticMapping mapping : toml.statics()) {
            statics.put(mapping.urlPrefix(), mapping);
        }

        Map<String, String> env = new LinkedHashMap<>(appJson.env());
        env.putAll(toml.env());

        for (Map.Entry<String, Integer> scaled : toml.scale().entrySet()) {
            if (!processes.containsKey(scaled.getKey())) {
                throw new ManifestException(Hop3TomlParser.FILE, toml.scaleLines().getOrDefault(scaled.getKey(), 0),
                        "[run.scale] " + scaled.getKey() + " is not a process type of this app"
                                + (processes.isEmpty() ? " (it declares none)" : " (" + String.join(", ", processes.keySet()) + ")"));
            }
        }
        Map<String, Integer> formation = new LinkedHashMap<>();
        for (String type : processes.keySet()) {
            formation.put(type, toml.scale().getOrDefault(type, appJson.formation().getOrDefault(type, 1)));
        }

        return new AppManifest(processes, release, cron, new ArrayList<>(statics.values()), toml.builder(), env,
                healthCheck, buildCommands, formation, toml.limits(),
                toml.addons().isEmpty() ? appJson.addons() : toml.addons(), toml.driver());
    }

    @SafeVarargs
    private static <T> Optional<T> first(Optional<T>... candidates) {
        for (Optional<T> candidate : candidates) {
            if (candidate.isPresent()) {
                return candidate;
            }
        }
        return Optional.empty();
    }

    @SafeVarargs
    private static <T> List<T> firstNonEmpty(List<T>... candidates) {
        for (List<T> candidate : candidates) {
            if (!candidate.isEmpty()) {
                return candidate;
            }
        }
        return List.of();
    }
}
