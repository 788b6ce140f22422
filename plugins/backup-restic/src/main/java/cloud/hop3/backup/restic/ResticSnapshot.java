package cloud.hop3.backup.restic;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupId;
import cloud.hop3.api.backup.BackupManifest;

/**
 * A restic snapshot that holds one backup: tagged {@code hop3}, {@code app=<app>} and
 * {@code id=<backup id>}, its files under one top-level directory: the one it was staged in
 * ({@code app-<app>}, {@code platform}, or the backup id as in earlier versions).
 *
 * @param snapshot  restic's id of the snapshot
 * @param backup    the backup it holds
 * @param directory the top-level directory of its files
 */
record ResticSnapshot(String snapshot, BackupId backup, String directory) {

    /** The tag every snapshot of the platform carries. */
    static final String TAG = "hop3";
    private static final String ID_TAG = "id=";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The tags of the snapshot of a backup: {@code app=<app>}, or {@code platform} for a backup of the platform. */
    static List<String> tags(BackupManifest manifest) {
        return List.of(TAG, manifest.subject().map(app -> "app=" + app).orElse("platform"), ID_TAG + manifest.id());
    }

    /** The tag filter of {@code restic snapshots --tag} that finds a backup's snapshot (tags given together must all match). */
    static String filter(BackupId backup) {
        return TAG + "," + ID_TAG + backup;
    }

    /** The path of a file of the backup inside its snapshot. */
    String path(String file) {
        return "/" + directory + "/" + file;
    }

    /**
     * The platform's snapshots in the JSON of {@code restic snapshots --json}, oldest first;
     * snapshots without a valid {@code id=} tag are someone else's and left out.
     */
    static List<ResticSnapshot> parse(byte[] json) throws BackupException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new BackupException("restic's list of snapshots is not the JSON expected: " + e.getMessage(), e);
        }
        List<ResticSnapshot> snapshots = new ArrayList<>();
        if (root == null || !root.isArray()) {
            return snapshots;
        }
        for (JsonNode node : root) {
            String id = node.path("id").asText("");
            for (JsonNode tag : node.path("tags")) {
                String text = tag.asText("");
                if (!id.isEmpty() && text.startsWith(ID_TAG) && BackupId.isValid(text.substring(ID_TAG.length()))) {
                    BackupId backup = BackupId.of(text.substring(ID_TAG.length()));
                    snapshots.add(new ResticSnapshot(id, backup, directory(node.path("paths"), backup)));
                }
            }
        }
        return snapshots;
    }

    /** The last name of the one path restic was given, which is the snapshot's top-level directory. */
    private static String directory(JsonNode paths, BackupId backup) {
        String path = paths.size() == 1 ? paths.get(0).asText("") : "";
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() || name.equals(".") || name.equals("..") ? backup.value() : name;
    }
}
