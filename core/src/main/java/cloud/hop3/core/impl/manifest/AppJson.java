package cloud.hop3.core.impl.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cloud.hop3.api.build.HealthCheck;

/**
 * What a Heroku or Dokku app.json declares that this platform uses, before it is merged with
 * the Procfile and hop3.toml.
 *
 * @param release     {@code scripts.dokku.predeploy}
 * @param formation   {@code formation.<type>.quantity}
 * @param healthCheck the first {@code healthchecks.web} startup check with a path (Dokku)
 * @param env         {@code env} entries that have a value
 * @param cron        {@code cron} (Dokku)
 * @param addons      {@code addons} (Heroku)
 */
record AppJson(Optional<String> release, Map<String, Integer> formation, Optional<HealthCheck> healthCheck,
               Map<String, String> env, List<CronEntry> cron,
               List<AddonDeclaration> addons) {

    AppJson {
        formation = Collections.unmodifiableMap(new LinkedHashMap<>(formation));
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        cron = List.copyOf(cron);
        addons = List.copyOf(addons);
    }
}
