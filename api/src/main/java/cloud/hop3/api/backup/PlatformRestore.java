package cloud.hop3.api.backup;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import cloud.hop3.api.app.AppName;

/**
 * What the restore of a platform backup did.
 *
 * @param restored the apps restored and deployed
 * @param failed   the apps that could not be restored, with the reason
 * @param notes    what else the restore did or left, one line each (keys taken over, issuers'
 *                 state put back, settings that stay this installation's)
 */
public record PlatformRestore(List<AppName> restored, Map<AppName, String> failed, List<String> notes) {

    public PlatformRestore {
        restored = List.copyOf(restored);
        failed = Map.copyOf(new TreeMap<>(failed));
        notes = List.copyOf(notes);
    }

    /** Whether every app came back. */
    public boolean complete() {
        return failed.isEmpty();
    }
}
