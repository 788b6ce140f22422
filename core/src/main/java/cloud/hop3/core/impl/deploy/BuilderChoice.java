package cloud.hop3.core.impl.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.build.Builder;
import cloud.hop3.api.build.Detection;
import cloud.hop3.api.deploy.DeployException;

/**
 * Chooses the one builder of a deploy: the one the app names ({@code [build].builder} in
 * hop3.toml, or the {@code HOP3_BUILDER} config var), else the detecting builder with the
 * highest priority.
 */
final class BuilderChoice {

    private static final Logger LOG = LoggerFactory.getLogger(BuilderChoice.class);

    /**
     * The chosen builder and why.
     *
     * @param builder the builder
     * @param reason  what made it the choice, for the pusher
     */
    record Chosen(Builder builder, String reason) {
    }

    private BuilderChoice() {
    }

    static Chosen choose(List<Map.Entry<Map<String, Object>, Builder>> builders, Path source, Optional<String> named,
                         String namedWhere) throws DeployException {
        if (named.isPresent()) {
            for (Map.Entry<Map<String, Object>, Builder> b : builders) {
                if (named.get().equals(b.getKey().get(Builder.NAME_PROPERTY))) {
                    return new Chosen(b.getValue(), "asked for in " + namedWhere);
                }
            }
            throw new DeployException("The builder '" + named.get() + "' named in " + namedWhere
                    + " is not installed; installed builders: " + names(builders) + ".");
        }
        Chosen best = null;
        int bestPriority = Integer.MIN_VALUE;
        for (int i = builders.size() - 1; i >= 0; i--) {
            Builder builder = builders.get(i).getValue();
            Optional<Detection> detection;
            try {
                detection = builder.detect(source);
            } catch (RuntimeException e) {
                LOG.warn("Builder {} failed to inspect the source: {}", builders.get(i).getKey().get(Builder.NAME_PROPERTY), e.toString());
                continue;
            }
            if (detection.isPresent() && detection.get().priority() > bestPriority) {
                bestPriority = detection.get().priority();
                best = new Chosen(builder, detection.get().reason());
            }
        }
        if (best == null) {
            throw new DeployException("No builder recognises this app. Add a Procfile with a web process"
                    + " (web: <command>), or the files of a supported kind of app; installed builders: "
                    + names(builders) + ".");
        }
        return best;
    }

    private static String names(List<Map.Entry<Map<String, Object>, Builder>> builders) {
        TreeSet<String> names = new TreeSet<>();
        builders.forEach(b -> names.add(String.valueOf(b.getKey().get(Builder.NAME_PROPERTY))));
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
