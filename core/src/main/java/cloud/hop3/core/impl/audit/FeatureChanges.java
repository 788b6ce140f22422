package cloud.hop3.core.impl.audit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.features.FeatureEvent;
import org.apache.karaf.features.FeaturesListener;
import org.apache.karaf.features.RepositoryEvent;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import cloud.hop3.api.audit.AuditResult;
import cloud.hop3.api.audit.AuditService;
import cloud.hop3.api.event.Hop3Events;

/**
 * Records in the audit trail each Karaf feature installed or removed (plugins ship as features;
 * an update is a removal and an install), and each feature repository added or removed. The
 * events Karaf replays to a new listener (what was installed before) are not changes, and are
 * skipped. Karaf calls listeners from its deployment, not from the shell command's thread, so
 * the actor is the one that thread names, else the platform.
 */
@Component(service = FeaturesListener.class)
public class FeatureChanges implements FeaturesListener {

    @Reference
    private AuditService audit;

    /** Where a plugin change is posted ({@link Hop3Events#PLUGIN_INSTALLED}, {@link Hop3Events#PLUGIN_REMOVED}); may be absent. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin events;

    /** For DS. */
    public FeatureChanges() {
    }

    /** For tests. */
    public FeatureChanges(AuditService audit) {
        this.audit = audit;
    }

    @Override
    public void featureEvent(FeatureEvent event) {
        if (event.isReplay()) {
            return;
        }
        String action = event.getType() == FeatureEvent.EventType.FeatureInstalled ? "plugin.install" : "plugin.remove";
        Audited.record(audit, action, event.getFeature().getName(), AuditResult.success(),
                List.of(event.getFeature().getVersion()));
        EventAdmin admin = events;
        // Hop3's own features (its plugins among them) are posted; Karaf's and Pax Web's only recorded
        if (admin != null && event.getFeature().getName().startsWith("hop3-")) {
            Map<String, Object> props = new HashMap<>();
            props.put(Hop3Events.PLUGIN, event.getFeature().getName());
            props.put(Hop3Events.VERSION, event.getFeature().getVersion());
            admin.postEvent(new Event(event.getType() == FeatureEvent.EventType.FeatureInstalled ? Hop3Events.PLUGIN_INSTALLED
                    : Hop3Events.PLUGIN_REMOVED, ActorProperties.add(props)));
        }
    }

    @Override
    public void repositoryEvent(RepositoryEvent event) {
        if (event.isReplay()) {
            return;
        }
        String action = event.getType() == RepositoryEvent.EventType.RepositoryAdded ? "plugin.repository-add"
                : "plugin.repository-remove";
        Audited.record(audit, action, String.valueOf(event.getRepository().getURI()), AuditResult.success(), List.of());
    }
}
