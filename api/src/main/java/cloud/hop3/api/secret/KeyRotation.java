package cloud.hop3.api.secret;

import java.util.List;

/**
 * The outcome of {@link SecretKeys#rotate()}.
 *
 * @param key       the id of the new current key
 * @param documents how many stored documents were re-encrypted with it
 * @param retired   the ids of the old keys retired: kept only to open backups taken before
 * @param problems  documents that could not be re-encrypted, with the reason (the old keys are
 *                  then kept, so they stay readable; rotate again once fixed)
 */
public record KeyRotation(String key, int documents, List<String> retired, List<String> problems) {

    public KeyRotation {
        retired = List.copyOf(retired);
        problems = List.copyOf(problems);
    }
}
