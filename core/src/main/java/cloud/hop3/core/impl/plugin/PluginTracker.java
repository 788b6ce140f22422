package cloud.hop3.core.impl.plugin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import cloud.hop3.api.addon.Database;
import cloud.hop3.api.backup.BackupStore;
import cloud.hop3.api.build.Builder;
import cloud.hop3.api.plugin.PluginInfo;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.api.plugin.PluginRegistry;
import cloud.hop3.api.process.ProcessDriver;
import cloud.hop3.api.proxy.Proxy;
import cloud.hop3.api.tls.CertificateIssuer;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.DriversInUse;
import cloud.hop3.core.impl.platform.ProxyInUse;

/**
 * Follows every plugin service in the registry. The references are dynamic, multiple and
 * greedy: a plugin that appears, is updated or goes away is seen at once, and core never names
 * an implementation. Which one is the active choice, where one must be chosen, is decided by
 * {@link PluginChooser} from core's configuration, as it is for the components that use it.
 */
@Component(service = PluginRegistry.class, configurationPid = CoreConfig.PID)
public class PluginTracker implements PluginRegistry {

    @Reference(service = Builder.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ServiceReference<Builder>> builders = List.of();

    @Reference(service = ProcessDriver.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ServiceReference<ProcessDriver>> drivers = List.of();

    @Reference(service = Proxy.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ServiceReference<Proxy>> proxies = List.of();

    @Reference(service = CertificateIssuer.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ServiceReference<CertificateIssuer>> issuers = List.of();

    @Reference(service = Database.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ServiceReference<Database>> databases = List.of();

    @Reference(service = BackupStore.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ServiceReference<BackupStore>> backupStores = List.of();

    /** The routing, which knows the proxy that really serves (the configured one may have refused). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ProxyInUse routes;

    /** The drivers the apps run on: a driver an app chose is in use though it is not the default. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DriversInUse appDrivers;

    private volatile Map<PluginKind, String> choices = Map.of();

    /** For DS. */
    public PluginTracker() {
    }

    /**
     * For tests: a tracker that sees the given service references of each kind, configured by
     * {@code config}, and asks {@code routes} (may be null) which proxy serves.
     */
    public PluginTracker(CoreConfig config, Map<PluginKind, List<ServiceReference<?>>> services, ProxyInUse routes) {
        this(config, services, routes, null);
    }

    /** For tests: as above, with the drivers that apps run on (may be null). */
    public PluginTracker(CoreConfig config, Map<PluginKind, List<ServiceReference<?>>> services, ProxyInUse routes,
                         DriversInUse appDrivers) {
        this.appDrivers = appDrivers;
        configure(config);
        this.routes = routes;
        builders = given(services, PluginKind.BUILDER);
        drivers = given(services, PluginKind.PROCESS_DRIVER);
        proxies = given(services, PluginKind.PROXY);
        issuers = given(services, PluginKind.CERTIFICATE_ISSUER);
        databases = given(services, PluginKind.DATABASE);
        backupStores = given(services, PluginKind.BACKUP_STORE);
    }

    @Activate
    @Modified
    void configure(CoreConfig config) {
        Map<PluginKind, String> map = new EnumMap<>(PluginKind.class);
        map.put(PluginKind.PROXY, config.proxy());
        map.put(PluginKind.PROCESS_DRIVER, config.driver());
        map.put(PluginKind.CERTIFICATE_ISSUER, config.issuer());
        map.put(PluginKind.BACKUP_STORE, config.backup_store());
        choices = Map.copyOf(map);
    }

    @Override
    public List<PluginInfo> plugins() {
        List<PluginInfo> result = new ArrayList<>();
        add(result, PluginKind.BUILDER, builders);
        add(result, PluginKind.PROCESS_DRIVER, drivers);
        add(result, PluginKind.PROXY, proxies);
        add(result, PluginKind.CERTIFICATE_ISSUER, issuers);
        add(result, PluginKind.DATABASE, databases);
        add(result, PluginKind.BACKUP_STORE, backupStores);
        result.sort(Comparator.comparing(PluginInfo::kind).thenComparing(PluginInfo::name)
                .thenComparing(PluginInfo::bundleId));
        return result;
    }

    @Override
    public String configuredChoice(PluginKind kind) {
        return choices.get(kind);
    }

    @Override
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        ProxyInUse routing = routes;
        java.util.Optional<String> proxyProblem = routing == null ? java.util.Optional.empty() : routing.problem();
        List<PluginInfo> installed = plugins();
        for (PluginKind kind : PluginKind.values()) {
            String choice = choices.get(kind);
            if (choice != null && !choice.isBlank() && installed.stream()
                    .noneMatch(p -> p.kind() == kind && p.name().equals(choice))
                    && !(kind == PluginKind.PROXY && proxyProblem.isPresent())) { // said with the proxy that serves instead
                problems.add("No " + kind.label() + " named '" + choice + "' is installed (configured in " + CoreConfig.PID + ").");
            }
        }
        proxyProblem.ifPresent(problems::add);
        return problems;
    }

    /**
     * Describes the services of one kind. Where one is chosen, the active one is the one that
     * {@link PluginChooser} picks from the same service properties and configuration as the
     * component that calls it, so the list never disagrees with what runs; for the proxy, the
     * one that serves the routes (during a switch, or after a refused one, not the configured one);
     * for process drivers, also every one that an app's current release runs on;
     * for databases, the one chosen among those of the same type.
     */
    private void add(List<PluginInfo> out, PluginKind kind, List<? extends ServiceReference<?>> references) {
        String nameProperty = PluginChooser.nameProperty(kind);
        ServiceReference<?> chosen = null;
        if (PluginChooser.isChosen(kind)) {
            String configured = choices.get(kind);
            ProxyInUse routing = routes;
            if (kind == PluginKind.PROXY && routing != null && routing.servingName().isPresent()) {
                configured = routing.servingName().get();
            }
            chosen = PluginChooser.choose(kind, references, ServiceReference::getProperty, configured).orElse(null);
        }
        DriversInUse byApps = appDrivers;
        java.util.Set<String> appsRunOn = kind == PluginKind.PROCESS_DRIVER && byApps != null ? byApps.runningApps() : java.util.Set.of();
        for (ServiceReference<?> ref : references) {
            boolean active = !PluginChooser.isChosen(kind) || ref == chosen
                    || appsRunOn.contains(String.valueOf(ref.getProperty(nameProperty)));
            if (kind == PluginKind.DATABASE) {
                // one plugin per type is used: the one the add-on service picks with the same rule
                Object type = ref.getProperty(nameProperty);
                active = type != null && PluginChooser.choose(kind, references, ServiceReference::getProperty,
                        String.valueOf(type)).orElse(null) == ref;
            }
            PluginInfo info = PluginDescriptions.describe(kind, nameProperty, ref, active);
            if (info != null) {
                out.add(info);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> List<ServiceReference<T>> given(Map<PluginKind, List<ServiceReference<?>>> services, PluginKind kind) {
        return (List) List.copyOf(services.getOrDefault(kind, List.of()));
    }
}
