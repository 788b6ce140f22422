package cloud.hop3.core.impl.app;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An app as stored in {@code apps/<app>/app.json}: its settings and its releases.
 *
 * @param schema    format version of this document
 * @param name      the app's name
 * @param created   when it was created
 * @param domains   extra host names it answers to
 * @param config    its config vars; on disk, from schema 2, each value is encrypted (see
 *                  {@link SealedConfig}), as are the config snapshots of the releases
 * @param formation process counts set with app:scale; empty until the app is scaled
 * @param releases  its releases, oldest first; the last one is current
 * @param stopped   whether app:stop stopped it
 * @param upstreams ports of the web processes the proxy routes to
 * @param limits    resource limits set with app:limits, {@code key -> value}; they go over what
 *                  the app's hop3.toml declares
 * @param driver    the process driver chosen for the app (app:driver, or driver in hop3.toml);
 *                  empty for the platform's default. It applies from the app's next release on
 * @param runsOn    the process driver that put the current release into service; empty when
 *                  not known (a document written before it was recorded: the platform's default)
 */
public record AppDocument(int schema, String name, Instant created, List<String> domains, Map<String, String> config,
                          Map<String, Integer> formation, List<ReleaseDocument> releases, boolean stopped,
                          List<Integer> upstreams, Map<String, String> limits, String driver, String runsOn) {

    /** A document without a driver chosen or recorded. */
    public AppDocument(int schema, String name, Instant created, List<String> domains, Map<String, String> config,
                       Map<String, Integer> formation, List<ReleaseDocument> releases, boolean stopped,
                       List<Integer> upstreams, Map<String, String> limits) {
        this(schema, name, created, domains, config, formation, releases, stopped, upstreams, limits, "", "");
    }

    /** A document without limits set. */
    public AppDocument(int schema, String name, Instant created, List<String> domains, Map<String, String> config,
                       Map<String, Integer> formation, List<ReleaseDocument> releases, boolean stopped,
                       List<Integer> upstreams) {
        this(schema, name, created, domains, config, formation, releases, stopped, upstreams, Map.of());
    }

    static final int SCHEMA = SealedConfig.SEALED_SCHEMA;

    public AppDocument {
        domains = domains == null ? List.of() : List.copyOf(domains);
        config = config == null ? Map.of() : Map.copyOf(new TreeMap<>(config));
        formation = formation == null ? Map.of() : Map.copyOf(formation);
        releases = releases == null ? List.of() : List.copyOf(releases);
        upstreams = upstreams == null ? List.of() : List.copyOf(upstreams);
        limits = limits == null ? Map.of() : Map.copyOf(new TreeMap<>(limits));
        driver = driver == null ? "" : driver;
        runsOn = runsOn == null ? "" : runsOn;
    }

    static AppDocument create(String name, Instant created) {
        return new AppDocument(SCHEMA, name, created, List.of(), Map.of(), Map.of(), List.of(), false, List.of());
    }

    /** The serving release, if any. */
    public Optional<ReleaseDocument> current() {
        return releases.isEmpty() ? Optional.empty() : Optional.of(releases.get(releases.size() - 1));
    }

    /** A release by number. */
    public Optional<ReleaseDocument> release(int number) {
        return releases.stream().filter(r -> r.number() == number).findFirst();
    }

    /** The number the next release gets. */
    public int nextReleaseNumber() {
        return releases.stream().mapToInt(ReleaseDocument::number).max().orElse(0) + 1;
    }

    public AppDocument withRelease(ReleaseDocument release) {
        List<ReleaseDocument> all = new ArrayList<>(releases);
        all.add(release);
        return new AppDocument(schema, name, created, domains, config, formation, all, false, upstreams, limits, driver, runsOn);
    }

    public AppDocument withConfig(Map<String, String> newConfig) {
        return new AppDocument(schema, name, created, domains, newConfig, formation, releases, stopped, upstreams, limits, driver, runsOn);
    }

    public AppDocument withFormation(Map<String, Integer> newFormation) {
        return new AppDocument(schema, name, created, domains, config, newFormation, releases, stopped, upstreams, limits, driver, runsOn);
    }

    public AppDocument withDomains(List<String> newDomains) {
        return new AppDocument(schema, name, created, newDomains, config, formation, releases, stopped, upstreams, limits, driver, runsOn);
    }

    public AppDocument withUpstreams(List<Integer> ports) {
        return new AppDocument(schema, name, created, domains, config, formation, releases, stopped, ports, limits, driver, runsOn);
    }

    public AppDocument withDriver(String newDriver) {
        return new AppDocument(schema, name, created, domains, config, formation, releases, stopped, upstreams, limits,
                newDriver, runsOn);
    }

    public AppDocument withRunsOn(String newRunsOn) {
        return new AppDocument(schema, name, created, domains, config, formation, releases, stopped, upstreams, limits,
                driver, newRunsOn);
    }

    public AppDocument withLimits(Map<String, String> newLimits) {
        return new AppDocument(schema, name, created, domains, config, formation, releases, stopped, upstreams, newLimits, driver, runsOn);
    }

    /**
     * The limits a process of {@code release} runs with, before the platform's defaults: those
     * set with app:limits over those its hop3.toml declares. A stored value that no longer
     * parses counts as not set.
     */
    public cloud.hop3.api.process.ResourceLimits limitsOf(ReleaseDocument release) {
        return parsed(limits).over(release == null || release.runtime() == null ? cloud.hop3.api.process.ResourceLimits.NONE
                : parsed(release.runtime().limits()));
    }

    static cloud.hop3.api.process.ResourceLimits parsed(Map<String, String> values) {
        cloud.hop3.api.process.ResourceLimits out = cloud.hop3.api.process.ResourceLimits.NONE;
        for (Map.Entry<String, String> e : values.entrySet()) {
            try {
                out = out.with(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ignored) {
                // skipped
            }
        }
        return out;
    }

    public AppDocument withStopped(boolean isStopped) {
        return new AppDocument(schema, name, created, domains, config, formation, releases, isStopped, upstreams, limits, driver, runsOn);
    }
}
