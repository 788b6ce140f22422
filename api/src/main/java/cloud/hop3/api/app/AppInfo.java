package cloud.hop3.api.app;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the platform knows about an app, as shown by {@code app:list} and {@code app:info}.
 *
 * @param name     the app's name
 * @param created  when the app was created
 * @param releases its releases, oldest first (empty until the first deploy)
 * @param domains  extra host names it answers to, besides {@code <app>.<HOP3_DOMAIN>}
 */
public record AppInfo(AppName name, Instant created, List<Release> releases, List<String> domains) {

    public AppInfo {
        releases = List.copyOf(releases);
        domains = List.copyOf(domains);
    }

    /** The release that serves, if the app has been deployed. */
    public Optional<Release> currentRelease() {
        return releases.isEmpty() ? Optional.empty() : Optional.of(releases.get(releases.size() - 1));
    }
}
