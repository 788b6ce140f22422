package cloud.hop3.core.impl.backup;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupId;
import cloud.hop3.api.backup.BackupManifest;
import cloud.hop3.api.backup.BackupPart;
import cloud.hop3.plugin.support.files.Trees;

/**
 * The files of a backup of the platform. It holds a backup of each app, its parts named after
 * the app ({@code shop.repo.bundle}, with the attribute {@value #APP}), and {@value #STATE}: the
 * part of the platform's home that a new installation needs to stand in for this one, the
 * {@code keys} directory (the keys that encrypt config vars, the push keys, the git host key),
 * the users under {@code access} (roles, key owners, token hashes), the audit trail under
 * {@code audit}, and the issuers' state under {@code tls} (the local CA, the ACME account), without
 * the challenge answers. Stateless.
 */
final class PlatformBackups {

    /** The platform's own part. */
    static final String STATE = "platform.tar";
    /** Attribute of an app's part: the app it belongs to. */
    static final String APP = "app";
    /** Attribute of an app's state part: the app's release when it was taken. */
    static final String RELEASE = "release";
    /** What of the home {@link #STATE} holds. */
    static final List<String> KEPT = List.of("keys", "tls", "access");
    /** The directory of {@value #STATE} that holds the audit trail ({@code trail.jsonl}). */
    static final String AUDIT = "audit";
    private static final String CHALLENGES = "tls/challenges";

    private PlatformBackups() {
    }

    /**
     * Moves the parts of one app's backup from {@code taken} into {@code dir}, each renamed after
     * the app, and returns them as parts of the platform backup.
     */
    static List<BackupPart> absorb(BackupManifest app, Path taken, Path dir) throws BackupException, IOException {
        List<BackupPart> parts = new ArrayList<>();
        for (BackupPart p : app.parts()) {
            String name = app.app() + "." + p.name();
            if (!BackupPart.NAME.matcher(name).matches()) {
                throw new BackupException("The part " + p.name() + " of app " + app.app() + " cannot be named in a platform"
                        + " backup: '" + name + "' is longer than " + 100 + " characters.");
            }
            Files.move(taken.resolve(p.name()), dir.resolve(name));
            Map<String, String> attributes = new TreeMap<>(p.attributes());
            attributes.put(APP, app.app().value());
            if (p.name().equals(BackupTaking.STATE)) {
                attributes.put(RELEASE, Integer.toString(app.release()));
            }
            parts.add(new BackupPart(name, p.size(), p.sha256(), attributes));
        }
        return parts;
    }

    /**
     * Writes {@value #STATE} from {@code home} into {@code dir}, with the {@value #AUDIT} directory
     * of {@code staged} (a copy of the audit trail taken while no record was being written), if given.
     */
    static BackupPart writeState(Path home, Path dir, Optional<Path> staged) throws BackupException, InterruptedException,
            IOException {
        List<String> argv = new ArrayList<>(List.of("tar", "--numeric-owner", "-cpf", dir.resolve(STATE).toString(),
                "--exclude=./" + CHALLENGES, "-C", home.toString()));
        for (String kept : KEPT) {
            if (Files.isDirectory(home.resolve(kept), LinkOption.NOFOLLOW_LINKS)) {
                argv.add("./" + kept);
            }
        }
        if (staged.isPresent() && Files.isDirectory(staged.get().resolve(AUDIT), LinkOption.NOFOLLOW_LINKS)) {
            argv.addAll(List.of("-C", staged.get().toString(), "./" + AUDIT));
        }
        DataArchive.run(argv, null, "archiving the platform's keys, users, audit trail and issuers' state", false);
        return PartFiles.part(dir, STATE, Map.of(BackupTaking.KIND, "platform"));
    }

    /** Extracts {@value #STATE} of a fetched backup in {@code dir} into {@code dir/platform}, and returns that. */
    static Path extractState(BackupManifest platform, Path dir) throws BackupException, InterruptedException, IOException {
        if (platform.part(STATE) == null) {
            throw new BackupException("Backup " + platform.id() + " has no " + STATE + " part.");
        }
        Path target = Files.createDirectory(dir.resolve("platform"));
        DataArchive.run(List.of("tar", "--no-same-owner", "-xpf", dir.resolve(STATE).toString(), "-C", target.toString()),
                null, "extracting the platform's keys and issuers' state", false);
        return target;
    }

    /** The apps of a platform backup, in the order they were taken. */
    static List<AppName> apps(BackupManifest platform) {
        return platform.parts().stream().map(p -> p.attributes().get(APP)).filter(a -> a != null).distinct()
                .map(AppName::of).toList();
    }

    /**
     * Splits a fetched platform backup in {@code dir} into the backup of each app: its parts
     * moved, under their own names, into {@code dir/apps/<app>}, with the manifest an app backup
     * taken at the same time would have.
     */
    static Map<AppName, Split> split(BackupManifest platform, Path dir) throws BackupException, IOException {
        Map<AppName, Split> apps = new LinkedHashMap<>();
        for (AppName app : apps(platform)) {
            Path sub = Files.createDirectories(dir.resolve("apps").resolve(app.value()));
            List<BackupPart> parts = new ArrayList<>();
            int release = 0;
            for (BackupPart p : platform.parts()) {
                if (!app.value().equals(p.attributes().get(APP))) {
                    continue;
                }
                String name = p.name().substring(app.value().length() + 1);
                Files.move(dir.resolve(p.name()), sub.resolve(name));
                Map<String, String> attributes = new TreeMap<>(p.attributes());
                attributes.remove(APP);
                String r = attributes.remove(RELEASE);
                if (r != null) {
                    release = Integer.parseInt(r);
                }
                parts.add(new BackupPart(name, p.size(), p.sha256(), attributes));
            }
            BackupManifest manifest = new BackupManifest(BackupId.of(platform.id() + "." + app), app, platform.created(),
                    release, platform.platform(), platform.plugins(), parts);
            apps.put(app, new Split(manifest, sub));
        }
        return apps;
    }

    /** One app's backup out of a platform backup, its parts in {@code directory}. */
    record Split(BackupManifest manifest, Path directory) {
    }

    /**
     * Replaces each issuer's state directory under {@code home/tls} with the one restored in
     * {@code state/tls}, files owner-only as they were.
     *
     * @return the issuers whose state was put back
     */
    static List<String> putIssuersBack(Path state, Path home) throws IOException {
        Path restored = state.resolve("tls");
        List<String> issuers = new ArrayList<>();
        if (!Files.isDirectory(restored, LinkOption.NOFOLLOW_LINKS)) {
            return issuers;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(restored)) {
            for (Path issuer : dirs) {
                String name = issuer.getFileName().toString();
                if (!Files.isDirectory(issuer, LinkOption.NOFOLLOW_LINKS) || name.equals("challenges")) {
                    continue;
                }
                Path target = home.resolve("tls").resolve(name);
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    Trees.delete(target);
                }
                copyTree(issuer, target);
                issuers.add(name);
            }
        }
        return issuers;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    continue; // the platform writes no links there; a link in an archive is not followed
                }
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(p));
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
