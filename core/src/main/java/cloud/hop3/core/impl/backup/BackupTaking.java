package cloud.hop3.core.impl.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupId;
import cloud.hop3.api.backup.BackupManifest;
import cloud.hop3.api.backup.BackupPart;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.core.impl.addon.AddonBackups;
import cloud.hop3.core.impl.addon.AddonBackups.Attached;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.app.AppDocument;
import cloud.hop3.core.impl.git.RepositoryBundles;

/**
 * Takes the parts of one backup of an app into a scratch directory: the repository as a git
 * bundle, {@code app.json} as it is on disk (config vars and release records still encrypted),
 * the data directory as a tar, and a dump per attached add-on. Any step that fails, and a dump
 * that comes back empty, fails the whole backup with the reason.
 * <p>
 * A part whose source has the same mark as when the app's last backup took it (the listing of
 * the repository or of the data directory, an add-on's change mark) is not taken again: the
 * last backup's file is linked in from {@link PartReuse}.
 */
final class BackupTaking {

    /** Part names and attribute keys, which the restore reads back. */
    static final String REPOSITORY = "repo.bundle";
    static final String STATE = "app.json";
    static final String DATA = "data.tar";
    static final String KIND = "kind";
    static final String ADDON = "addon";
    static final String TYPE = "type";
    static final String PREFIX = "prefix";
    /** What a restore check compares: rows or keys of a dump, regular files and bytes of the data, refs of the repository. */
    static final String COUNTS = "counts";
    static final String FILES = "files";
    static final String BYTES = "bytes";
    static final String REFS = "refs";
    private static final String UNCHANGED = "Unchanged since the last backup, kept: ";

    private final AppCatalog apps;
    private final AddonBackups addons;
    private final RepositoryBundles bundles;

    BackupTaking(AppCatalog apps, AddonBackups addons, RepositoryBundles bundles) {
        this.apps = apps;
        this.addons = addons;
        this.bundles = bundles;
    }

    /** The part name of an add-on's dump. */
    static String addonPart(String addon) {
        return "addon-" + addon + ".dump";
    }

    /** Takes every part of {@code app} into {@code dir}; the manifest describes them. */
    BackupManifest take(AppName app, BackupId id, Instant now, String platform, Map<String, String> storePlugin, Path dir,
                        BuildLog log) throws BackupException, InterruptedException {
        AppDocument doc = apps.document(app);
        List<BackupPart> parts = new ArrayList<>();
        Map<String, String> plugins = new TreeMap<>(storePlugin);
        try {
            PartReuse reuse = PartReuse.of(apps.directory(app));
            log.step("Backing up the repository of " + app);
            Optional<BackupPart> keptRepository = reuse.reuse(REPOSITORY,
                    listingMark(apps.directory(app).resolve("repo.git"), "git ", log), dir);
            if (keptRepository.isPresent()) {
                parts.add(keptRepository.get());
                log.info(UNCHANGED + REPOSITORY);
            } else {
                try (OutputStream out = Files.newOutputStream(dir.resolve(REPOSITORY))) {
                    if (!bundles.write(app, out)) {
                        log.info("No repository yet (never pushed)");
                    }
                }
                if (Files.size(dir.resolve(REPOSITORY)) > 0) {
                    parts.add(PartFiles.part(dir, REPOSITORY, Map.of(KIND, "git",
                            REFS, words(RepositoryBundles.heads(dir.resolve(REPOSITORY))))));
                } else {
                    Files.delete(dir.resolve(REPOSITORY));
                }
            }
            log.step("Backing up the config and releases of " + app);
            Files.copy(apps.directory(app).resolve(STATE), dir.resolve(STATE));
            parts.add(PartFiles.part(dir, STATE, Map.of(KIND, "state")));

            log.step("Backing up the data directory of " + app);
            Path data = apps.directory(app).resolve("data");
            if (Files.isDirectory(data)) {
                Optional<BackupPart> keptData = reuse.reuse(DATA, listingMark(data, "data ", log), dir);
                if (keptData.isPresent()) {
                    parts.add(keptData.get());
                    log.info(UNCHANGED + DATA);
                } else {
                    DataArchive.write(data, dir.resolve(DATA)).ifPresent(said ->
                            log.warn("Files changed while they were archived, each is kept as tar read it: " + said));
                    TarContents contents = TarContents.of(dir.resolve(DATA));
                    parts.add(PartFiles.part(dir, DATA, Map.of(KIND, "data", FILES, Long.toString(contents.files()),
                            BYTES, Long.toString(contents.bytes()))));
                }
            }
            for (Attached a : addons.attachedTo(app)) {
                String name = addonPart(a.name().value());
                Map<String, String> attributes = new TreeMap<>(Map.of(KIND, ADDON, ADDON, a.name().value(), TYPE, a.type(),
                        PREFIX, a.prefix()));
                Optional<BackupPart> keptDump = reuse.reuse(name, changeMark(a, log), dir);
                if (keptDump.isPresent()) {
                    log.step("Add-on " + a.name() + " (" + a.type() + ") unchanged since the last backup: its dump is kept");
                    BackupPart kept = keptDump.get();
                    Optional.ofNullable(kept.attributes().get(COUNTS)).ifPresent(c -> attributes.put(COUNTS, c));
                    parts.add(new BackupPart(name, kept.size(), kept.sha256(), attributes));
                    addons.pluginVersion(a.type()).ifPresent(v -> plugins.put(v.getKey(), oneWord(v.getValue())));
                    continue;
                }
                log.step("Dumping add-on " + a.name() + " (" + a.type() + ")");
                try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
                    addons.dump(a.name(), out);
                } catch (AddonException e) {
                    throw new BackupException("The dump of add-on " + a.name() + " (" + a.type() + ") failed: "
                            + e.getMessage(), e);
                }
                if (Files.size(dir.resolve(name)) == 0) {
                    throw new BackupException("The dump of add-on " + a.name() + " (" + a.type() + ") is empty.");
                }
                Map<String, Long> counts;
                try (InputStream in = Files.newInputStream(dir.resolve(name))) {
                    counts = addons.countDump(a.type(), in);
                } catch (AddonException e) {
                    throw new BackupException("The dump of add-on " + a.name() + " (" + a.type() + ") cannot be read back: "
                            + e.getMessage(), e);
                }
                if (counts.isEmpty()) {
                    log.warn("The plugin of " + a.type() + " cannot count what the dump of " + a.name()
                            + " holds: its restore check will compare no counts");
                } else {
                    attributes.put(COUNTS, words(counts));
                }
                parts.add(PartFiles.part(dir, name, attributes));
                addons.pluginVersion(a.type()).ifPresent(v -> plugins.put(v.getKey(), oneWord(v.getValue())));
            }
            reuse.keep(parts, dir);
        } catch (IOException e) {
            throw new BackupException("Writing the backup's files failed: " + e.getMessage(), e);
        } catch (AddonException e) {
            throw new BackupException(e.getMessage(), e);
        }
        int release = doc.current().map(r -> r.number()).orElse(0);
        return new BackupManifest(id, app, now, release, platform, plugins, parts);
    }

    /** Drops the parts kept for the app's next backup, after a backup that failed: the next one takes all again. */
    void forgetKept(AppName app) {
        PartReuse.forget(apps.directory(app));
    }

    /** The listing mark of {@code tree}, or empty (the part is taken again) when it has none or cannot be read. */
    private static Optional<String> listingMark(Path tree, String kind, BuildLog log) {
        try {
            return Files.isDirectory(tree) ? ListingMark.of(tree, Instant.now()).map(m -> kind + m) : Optional.empty();
        } catch (IOException e) {
            log.info("Cannot list " + tree.getFileName() + " to compare it with the last backup (" + e.getMessage()
                    + "): it is taken whole");
            return Optional.empty();
        }
    }

    /** The add-on's change mark, or empty (it is dumped) when its plugin has none or cannot say. */
    private Optional<String> changeMark(Attached a, BuildLog log) throws InterruptedException {
        try {
            return addons.changeMark(a.name()).map(m -> a.type() + " " + m);
        } catch (AddonException e) {
            log.info("The change mark of add-on " + a.name() + " cannot be read (" + e.getMessage() + "): it is dumped");
            return Optional.empty();
        }
    }

    /** {@code name=value} pairs, space-separated, each name URL-encoded: one attribute value. */
    static String words(Map<String, ?> values) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, ?> e : new TreeMap<>(values).entrySet()) {
            s.append(s.length() == 0 ? "" : " ").append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                    .append('=').append(e.getValue());
        }
        return s.toString();
    }

    /** The pairs that {@link #words} wrote. */
    static Map<String, String> pairs(String words) {
        Map<String, String> pairs = new TreeMap<>();
        for (String word : words.split(" ")) {
            int eq = word.lastIndexOf('=');
            if (eq > 0) {
                pairs.put(URLDecoder.decode(word.substring(0, eq), StandardCharsets.UTF_8), word.substring(eq + 1));
            }
        }
        return pairs;
    }

    static String oneWord(String s) {
        String w = s == null ? "" : s.replaceAll("[^\\x21-\\x7e]", "_");
        return w.isEmpty() ? "unknown" : w;
    }
}
