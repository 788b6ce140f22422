package cloud.hop3.core.impl.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupInfo;
import cloud.hop3.api.backup.BackupManifest;
import cloud.hop3.api.backup.BackupPart;
import cloud.hop3.core.impl.addon.AddonBackups;
import cloud.hop3.core.impl.git.RepositoryBundles;

/**
 * Restores a backup that has been fetched and checked against its manifest's SHA-256 into
 * scratch places, and compares what comes back with what was recorded when it was taken: each
 * add-on dump goes into a scratch add-on of its type whose counts must equal the part's
 * {@code counts}; the data archive is extracted into a scratch folder whose regular files and
 * bytes must equal its {@code files} and {@code bytes}; the repository bundle is read whole into a
 * scratch repository whose refs must equal its {@code refs}; {@code app.json} must open as the
 * app's state. A checksum says the bytes are those stored; this says they restore to what was
 * backed up. The first difference fails the check and is its detail.
 */
final class RestoreCheck {

    private final AddonBackups addons;
    private final BackupRestoring restoring;

    RestoreCheck(AddonBackups addons, BackupRestoring restoring) {
        this.addons = addons;
        this.restoring = restoring;
    }

    /** The check of the backup in {@code dir}, passed or not; {@code at} is when it ran. */
    BackupInfo.RestoreCheck run(BackupManifest manifest, Path dir, Instant at) throws InterruptedException {
        List<String> compared = new ArrayList<>();
        try {
            for (BackupPart p : manifest.parts()) {
                compared.add(check(manifest, p, dir));
            }
        } catch (Difference d) {
            return new BackupInfo.RestoreCheck(at, false, d.getMessage());
        }
        return new BackupInfo.RestoreCheck(at, true, String.join("; ", compared));
    }

    /** What was compared for one part. */
    private String check(BackupManifest manifest, BackupPart p, Path dir) throws Difference, InterruptedException {
        Map<String, String> a = p.attributes();
        String kind = a.getOrDefault(BackupTaking.KIND, "");
        Path file = dir.resolve(p.name());
        try {
            switch (kind) {
                case "git" -> {
                    Map<String, String> refs;
                    try (InputStream in = Files.newInputStream(file)) {
                        refs = RepositoryBundles.fetchInto(in, dir.resolve("check-" + p.name() + ".git"));
                    }
                    String recorded = a.get(BackupTaking.REFS);
                    if (recorded != null) {
                        same(p.name(), "ref", BackupTaking.pairs(recorded), stringValues(refs));
                    }
                    return p.name() + ": " + refs.size() + (refs.size() == 1 ? " ref" : " refs")
                            + (recorded == null ? " (none recorded)" : "");
                }
                case "state" -> {
                    restoring.state(manifest, dir);
                    return p.name() + ": opens";
                }
                case "data" -> {
                    Path target = Files.createDirectory(dir.resolve("check-" + p.name()));
                    DataArchive.extractForCheck(file, target);
                    TarContents out = TarContents.ofTree(target);
                    String files = a.get(BackupTaking.FILES);
                    String bytes = a.get(BackupTaking.BYTES);
                    if (files != null && !files.equals(Long.toString(out.files()))) {
                        throw new Difference(p.name() + ": " + out.files() + " files restored, " + files + " recorded");
                    }
                    if (bytes != null && !bytes.equals(Long.toString(out.bytes()))) {
                        throw new Difference(p.name() + ": " + out.bytes() + " bytes restored, " + bytes + " recorded");
                    }
                    return p.name() + ": " + out.files() + " files, " + out.bytes() + " bytes"
                            + (files == null ? " (none recorded)" : "");
                }
                case BackupTaking.ADDON -> {
                    String type = a.get(BackupTaking.TYPE);
                    Map<String, Long> restored;
                    try (InputStream in = Files.newInputStream(file)) {
                        restored = addons.countRestored(type, in);
                    } catch (AddonException e) {
                        throw new Difference(p.name() + " (" + type + ") could not be restored into a scratch add-on: "
                                + e.getMessage());
                    }
                    String recorded = a.get(BackupTaking.COUNTS);
                    if (recorded == null) {
                        return p.name() + ": restored (no counts recorded)";
                    }
                    same(p.name() + " (" + type + ")", "", BackupTaking.pairs(recorded), stringValues(restored));
                    return p.name() + ": " + recorded;
                }
                default -> {
                    return p.name() + ": checksum only";
                }
            }
        } catch (BackupException e) {
            throw new Difference(p.name() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new Difference(p.name() + " could not be restored: " + e.getMessage());
        }
    }

    /** Throws the first key whose value differs between what was recorded and what was restored. */
    private static void same(String part, String what, Map<String, String> recorded, Map<String, String> restored)
            throws Difference {
        for (String key : new TreeSet<>(union(recorded, restored))) {
            String before = recorded.get(key);
            String after = restored.get(key);
            if (before == null || !before.equals(after)) {
                throw new Difference(part + ": " + (what.isEmpty() ? "" : what + " ") + key + " is "
                        + (after == null ? "missing" : after) + " after the restore, " + (before == null ? "not in the backup"
                        : before + " when backed up"));
            }
        }
    }

    private static java.util.Set<String> union(Map<String, String> a, Map<String, String> b) {
        java.util.Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static Map<String, String> stringValues(Map<String, ?> values) {
        Map<String, String> s = new TreeMap<>();
        values.forEach((k, v) -> s.put(k, String.valueOf(v)));
        return s;
    }

    /** The first difference found; its message is the check's detail. */
    private static final class Difference extends Exception {
        private static final long serialVersionUID = 1L;

        Difference(String message) {
            super(message, null, false, false);
        }
    }
}
