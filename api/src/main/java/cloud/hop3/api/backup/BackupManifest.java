package cloud.hop3.api.backup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import cloud.hop3.api.app.AppName;

/**
 * What a backup holds, stored with it by every store in one text format ({@link #write},
 * {@link #read}) that a user can read without the platform:
 *
 * <pre>
 * hop3-backup 1
 * id shop-20261205t170000z-3f2a
 * app shop
 * created 2026-12-05T17:00:00Z
 * release 7
 * platform 0.9.0
 * plugin cloud.hop3.addon.postgres 0.9.0
 * part repo.bundle 20480 &lt;sha256&gt;
 * attribute repo.bundle kind git
 * </pre>
 *
 * A backup of the platform itself (every app, and the platform's keys and issuers' state) has the
 * line {@code subject platform} instead of an {@code app} line; its parts are named after the app
 * they belong to ({@code shop.repo.bundle}) or {@code platform.tar}.
 *
 * @param id       the backup's id
 * @param subject  the app backed up, or empty for a backup of the platform
 * @param created  when it was taken
 * @param release  the app's current release number then, 0 when it had none
 * @param platform the platform's version
 * @param plugins  versions of the plugins that made parts, by bundle symbolic name
 * @param parts    its files, in the order they were taken
 */
public record BackupManifest(BackupId id, Optional<AppName> subject, Instant created, int release, String platform,
        Map<String, String> plugins, List<BackupPart> parts) {

    /** The first line of a manifest, with its format version. */
    public static final String HEADER = "hop3-backup 1";

    /** The file name a store keeps the manifest under, next to the parts. */
    public static final String FILE_NAME = "manifest.txt";

    /** The word of the {@code subject} line of a platform backup. */
    public static final String PLATFORM_SUBJECT = "platform";

    public BackupManifest {
        if (id == null || subject == null || created == null || platform == null) {
            throw new IllegalArgumentException("A backup manifest needs an id, a subject, a time and the platform's version.");
        }
        if (!oneWord(platform)) {
            throw new IllegalArgumentException("Invalid platform version: " + platform);
        }
        plugins = Map.copyOf(new TreeMap<>(plugins));
        for (Map.Entry<String, String> e : plugins.entrySet()) {
            if (!oneWord(e.getKey()) || !oneWord(e.getValue())) {
                throw new IllegalArgumentException("Invalid plugin version: " + e.getKey() + " " + e.getValue());
            }
        }
        parts = List.copyOf(parts);
        if (parts.stream().map(BackupPart::name).distinct().count() != parts.size()) {
            throw new IllegalArgumentException("Backup " + id + " names a part twice.");
        }
    }

    /** A backup of one app. */
    public BackupManifest(BackupId id, AppName app, Instant created, int release, String platform,
                          Map<String, String> plugins, List<BackupPart> parts) {
        this(id, Optional.of(app), created, release, platform, plugins, parts);
    }

    /**
     * The app backed up.
     *
     * @throws IllegalStateException for a backup of the platform, which is of no single app
     */
    public AppName app() {
        return subject.orElseThrow(() -> new IllegalStateException("Backup " + id + " is a backup of the platform,"
                + " of no single app."));
    }

    /** Whether this is a backup of the platform rather than of one app. */
    public boolean ofPlatform() {
        return subject.isEmpty();
    }

    /** What was backed up, for people: the app's name, or "the platform". */
    public String describeSubject() {
        return subject.map(AppName::value).orElse("the platform");
    }

    /** The part of that name, or {@code null}. */
    public BackupPart part(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    /** The sum of the parts' sizes. */
    public long size() {
        return parts.stream().mapToLong(BackupPart::size).sum();
    }

    /** Writes the manifest in its text format; {@code out} stays open. */
    public void write(OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write(HEADER + "\n");
        w.write("id " + id + "\n");
        w.write(subject.map(a -> "app " + a).orElse("subject " + PLATFORM_SUBJECT) + "\n");
        w.write("created " + created + "\n");
        w.write("release " + release + "\n");
        w.write("platform " + platform + "\n");
        for (Map.Entry<String, String> e : new TreeMap<>(plugins).entrySet()) {
            w.write("plugin " + e.getKey() + " " + e.getValue() + "\n");
        }
        for (BackupPart p : parts) {
            w.write("part " + p.name() + " " + p.size() + " " + p.sha256() + "\n");
            for (Map.Entry<String, String> e : new TreeMap<>(p.attributes()).entrySet()) {
                w.write("attribute " + p.name() + " " + e.getKey() + " " + e.getValue() + "\n");
            }
        }
        w.flush();
    }

    /** The manifest in its text format. */
    public byte[] toBytes() {
        try (var out = new java.io.ByteArrayOutputStream()) {
            write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a manifest that {@link #write} wrote.
     *
     * @throws BackupException naming the line, when the text is not a manifest
     */
    public static BackupManifest read(InputStream in) throws BackupException, IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String first = r.readLine();
        if (!HEADER.equals(first)) {
            throw new BackupException("Not a backup manifest (first line: " + shorten(first) + ").");
        }
        Map<String, String> fields = new HashMap<>();
        Map<String, String> plugins = new TreeMap<>();
        List<String[]> partLines = new ArrayList<>();
        Map<String, Map<String, String>> attributes = new HashMap<>();
        int number = 1;
        try {
            for (String line; (line = r.readLine()) != null; ) {
                number++;
                if (line.isEmpty()) {
                    continue;
                }
                String[] words = line.split(" ", 2);
                String rest = words.length > 1 ? words[1] : "";
                switch (words[0]) {
                    case "id", "app", "subject", "created", "release", "platform" -> {
                        if (fields.putIfAbsent(words[0], rest) != null) {
                            throw new IllegalArgumentException("'" + words[0] + "' given twice");
                        }
                    }
                    case "plugin" -> {
                        String[] pv = rest.split(" ");
                        if (pv.length != 2) {
                            throw new IllegalArgumentException("expected 'plugin <name> <version>'");
                        }
                        plugins.put(pv[0], pv[1]);
                    }
                    case "part" -> {
                        String[] p = rest.split(" ");
                        if (p.length != 3) {
                            throw new IllegalArgumentException("expected 'part <name> <size> <sha256>'");
                        }
                        partLines.add(p);
                    }
                    case "attribute" -> {
                        String[] a = rest.split(" ", 3);
                        if (a.length != 3) {
                            throw new IllegalArgumentException("expected 'attribute <part> <key> <value>'");
                        }
                        attributes.computeIfAbsent(a[0], k -> new LinkedHashMap<>()).put(a[1], a[2]);
                    }
                    default -> throw new IllegalArgumentException("unknown field '" + shorten(words[0]) + "'");
                }
            }
            if (fields.containsKey("app") == fields.containsKey("subject")) {
                throw new IllegalArgumentException("expected either an 'app' line or 'subject " + PLATFORM_SUBJECT + "'");
            }
            if (fields.containsKey("subject") && !PLATFORM_SUBJECT.equals(fields.get("subject"))) {
                throw new IllegalArgumentException("unknown subject '" + shorten(fields.get("subject")) + "'");
            }
            for (String required : List.of("id", "created", "release", "platform")) {
                if (!fields.containsKey(required)) {
                    throw new IllegalArgumentException("no '" + required + "' line");
                }
            }
            List<BackupPart> parts = new ArrayList<>();
            for (String[] p : partLines) {
                parts.add(new BackupPart(p[0], Long.parseLong(p[1]), p[2], attributes.getOrDefault(p[0], Map.of())));
                attributes.remove(p[0]);
            }
            if (!attributes.isEmpty()) {
                throw new IllegalArgumentException("attribute of a part not listed: " + attributes.keySet().iterator().next());
            }
            Optional<AppName> subject = fields.containsKey("app") ? Optional.of(AppName.of(fields.get("app"))) : Optional.empty();
            return new BackupManifest(BackupId.of(fields.get("id")), subject,
                    Instant.parse(fields.get("created")), Integer.parseInt(fields.get("release")),
                    fields.get("platform"), plugins, parts);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new BackupException("Damaged backup manifest at line " + number + ": " + e.getMessage());
        }
    }

    private static boolean oneWord(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    private static String shorten(String s) {
        if (s == null) {
            return "none";
        }
        return (s.length() > 40 ? s.substring(0, 40) + "..." : s).replaceAll("[^\\x20-\\x7e]", "?");
    }
}
