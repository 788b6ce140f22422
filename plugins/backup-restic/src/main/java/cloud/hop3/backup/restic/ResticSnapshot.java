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
 * {@code id=<backup id>}, its files under a directory named by the backup id.
 *
 * @param snapshot restic's id of the snapshot
 * @param backup   the backup it holds
 */
record ResticSnapshot(String snapshot, BackupId backup) {

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
        return "/" + backup + "/" + file;
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
                    snapshots.add(new ResticSnapshot(id, BackupId.of(text.substring(ID_TAG.length()))));
                }
            }
        }
        return snapshots;
    }
}
