package cloud.hop3.api.addon;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import cloud.hop3.api.app.AppName;

/**
 * One add-on as front ends show it.
 *
 * @param name        its name
 * @param type        its type ("postgres")
 * @param created     when it was created
 * @param attachments the apps it is attached to, each with its prefix ({@code DATABASE})
 * @param status      its server's status; a status saying why when its plugin is not installed
 */
public record AddonInfo(AddonName name, String type, Instant created, Map<AppName, String> attachments,
                        DatabaseStatus status) {

    public AddonInfo {
        attachments = Map.copyOf(new TreeMap<>(attachments));
    }
}
