package cloud.hop3.api.app;

import java.time.Instant;
import java.util.Map;

/**
 * A release: numbered and immutable. It ties a build artifact to a snapshot of the app's config
 * vars and a formation. A config change makes a new release on the same artifact; a rollback
 * makes a new release from an older one's parts, without rebuilding.
 *
 * @param number    1 for the first release, then increasing by one
 * @param artifact  identifier of the build artifact (a slug directory under the app's releases)
 * @param config    config vars as they were when the release was made
 * @param formation process counts of the release
 * @param created   when the release was made
 * @param reason    why it was made, for {@code app:releases} ("Deploy 3f2a9c1", "Set DEBUG")
 */
public record Release(int number, String artifact, Map<String, String> config, Formation formation,
                      Instant created, String reason) {

    public Release {
        if (number < 1) {
            throw new IllegalArgumentException("Release numbers start at 1.");
        }
        config = Map.copyOf(config);
    }
}
