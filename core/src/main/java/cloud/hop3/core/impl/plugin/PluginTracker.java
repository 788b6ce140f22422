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
import cloud.hop3.core.impl.route.RouteManager;

/**
 * Follows every plugin service in the registry. The references are dynamic, multiple and
 * greedy: a plugin that appears, is updated or goes away is seen at once, and core never names
 * an implementation. Which one is the active choice, where one must be chosen, is core's
 * configuration.
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
    private volatile RouteManager routes;

    private volatile Map<PluginKind, String> choices = Map.of();

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
        add(result, PluginKind.BUILDER, Builder.NAME_PROPERTY, builders);
        add(result, PluginKind.PROCESS_DRIVER, ProcessDriver.NAME_PROPERTY, drivers);
        add(result, PluginKind.PROXY, Proxy.NAME_PROPERTY, proxies);
        add(result, PluginKind.CERTIFICATE_ISSUER, CertificateIssuer.NAME_PROPERTY, issuers);
        add(result, PluginKind.DATABASE, Database.TYPE_PROPERTY, databases);
        add(result, PluginKind.BACKUP_STORE, BackupStore.NAME_PROPERTY, backupStores);
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
        RouteManager routing = routes;
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

    private void add(List<PluginInfo> out, PluginKind kind, String nameProperty,
                     List<? extends ServiceReference<?>> references) {
        String configured = choices.get(kind);
        ServiceReference<?> top = references.stream().max(Comparator.naturalOrder()).orElse(null);
        String choice = configured;
        RouteManager routing = routes;
        if (kind == PluginKind.PROXY && routing != null && routing.servingName().isPresent()) {
            // the proxy in use is the one serving: during a switch, or after a refused one, not the configured one
            choice = routing.servingName().get();
        } else if (configured != null && configured.isBlank() && top != null) {
            // nothing configured: the highest-ranked service is the choice
            choice = PluginDescriptions.nameOf(top, nameProperty);
        }
        for (ServiceReference<?> ref : references) {
            PluginInfo info = PluginDescriptions.describe(kind, nameProperty, ref, choice);
            if (info != null) {
                out.add(info);
            }
        }
    }
}
