package cloud.hop3.core.impl.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.build.Builder;
import cloud.hop3.api.build.Detection;
import cloud.hop3.api.deploy.DeployException;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.core.impl.plugin.PluginChooser;

/**
 * Chooses the one builder of a deploy: the one the app names ({@code [build].builder} in
 * hop3.toml, or the {@code HOP3_BUILDER} config var), else the detecting builder with the
 * highest priority (between equal priorities, the name that sorts first).
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
        return choose(builders, source, named, namedWhere, Optional.empty());
    }

    /**
     * Chooses the builder; {@code previous} is the builder of the app's current release. An app
     * whose builder was removed is not silently built by another one: without a builder named,
     * its deploy fails with the missing builder's name.
     */
    static Chosen choose(List<Map.Entry<Map<String, Object>, Builder>> builders, Path source, Optional<String> named,
                         String namedWhere, Optional<String> previous) throws DeployException {
        if (named.isEmpty() && previous.filter(p -> !p.isBlank()).isPresent() && !installed(builders, previous.get())) {
            throw new DeployException("This app was built with the '" + previous.get() + "' builder, whose plugin is"
                    + " not installed now; installed builders: " + names(builders) + ". Install that plugin again"
                    + " (plugin:list shows what is installed), or name another builder with [build].builder in"
                    + " hop3.toml or the HOP3_BUILDER config var.");
        }
        if (named.isPresent()) {
            // of two builders with that name (a bundle being updated), the one PluginChooser ranks first
            Optional<Map.Entry<Map<String, Object>, Builder>> asked = PluginChooser.choose(PluginKind.BUILDER, builders,
                    (b, key) -> b.getKey().get(key), named.get());
            if (asked.isPresent() && !named.get().isBlank()) {
                return new Chosen(asked.get().getValue(), "asked for in " + namedWhere);
            }
            throw new DeployException("The builder '" + named.get() + "' named in " + namedWhere
                    + " is not installed; installed builders: " + names(builders) + ".");
        }
        Chosen best = null;
        int bestPriority = Integer.MIN_VALUE;
        String bestName = null;
        for (int i = builders.size() - 1; i >= 0; i--) {
            Builder builder = builders.get(i).getValue();
            String name = String.valueOf(builders.get(i).getKey().get(Builder.NAME_PROPERTY));
            Optional<Detection> detection;
            try {
                detection = builder.detect(source);
            } catch (RuntimeException e) {
                LOG.warn("Builder {} failed to inspect the source: {}", builders.get(i).getKey().get(Builder.NAME_PROPERTY), e.toString());
                continue;
            }
            // equal priorities go to the name that sorts first, whatever order the builders came in
            if (detection.isPresent() && (detection.get().priority() > bestPriority
                    || detection.get().priority() == bestPriority && name.compareTo(bestName) < 0)) {
                bestPriority = detection.get().priority();
                bestName = name;
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

    private static boolean installed(List<Map.Entry<Map<String, Object>, Builder>> builders, String name) {
        return builders.stream().anyMatch(b -> name.equals(b.getKey().get(Builder.NAME_PROPERTY)));
    }

    /** The version of the bundle that provides a builder, as " 1.2.0", or nothing outside OSGi. */
    static String version(Builder builder) {
        Bundle bundle = FrameworkUtil.getBundle(builder.getClass());
        return bundle == null ? "" : " " + bundle.getVersion();
    }

    private static String names(List<Map.Entry<Map<String, Object>, Builder>> builders) {
        TreeSet<String> names = new TreeSet<>();
        builders.forEach(b -> names.add(String.valueOf(b.getKey().get(Builder.NAME_PROPERTY))));
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
