package cloud.hop3.core.impl.app;

import java.time.Instant;
import java.util.Map;

/**
 * One release as stored: immutable once written.
 *
 * @param number    its number
 * @param artifact  the number of the release whose build (slug) it runs; its own number for a deploy
 * @param revision  the git revision built, abbreviated
 * @param builder   the builder that built the slug
 * @param reason    why it was made ("Deploy 3f2a9c1", "Set DEBUG", "Rollback to v3")
 * @param created   when it was made
 * @param config    the config vars it runs with
 * @param formation the process counts it runs with
 * @param runtime   how it runs
 */
public record ReleaseDocument(int number, int artifact, String revision, String builder, String reason, Instant created,
                              Map<String, String> config, Map<String, Integer> formation, RuntimeDocument runtime) {

    public ReleaseDocument {
        config = config == null ? Map.of() : Map.copyOf(config);
        formation = formation == null ? Map.of() : Map.copyOf(formation);
    }
}
