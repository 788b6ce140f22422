package cloud.hop3.core.impl.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import cloud.hop3.api.audit.AuditResult;
import cloud.hop3.api.audit.AuditService;
import cloud.hop3.api.deploy.InterruptedDeploy;
import cloud.hop3.api.event.Hop3Events;
import cloud.hop3.core.impl.actor.CurrentActor;
import cloud.hop3.core.impl.audit.ActorProperties;
import cloud.hop3.core.impl.audit.Audited;

/**
 * The deploys found interrupted at the start, waiting to be posted as events and recorded in the
 * audit trail: both may start after the deploy pipeline, and each report goes out once, as soon
 * as its channel runs. Each is reported as the actor who started the deploy; the trail records
 * it as the failed {@code app.deploy} it was (or as done, for a deploy that switched before the
 * stop), since the stop cut it before its own record.
 */
final class InterruptionReports {

    private final List<InterruptedDeploy> unposted = new ArrayList<>();
    private final List<InterruptedDeploy> unrecorded = new ArrayList<>();
    private final List<InterruptedDeploy> completedUnrecorded = new ArrayList<>();

    synchronized void add(InterruptedDeploys.Recovery found) {
        unposted.addAll(found.interrupted());
        unrecorded.addAll(found.interrupted());
        completedUnrecorded.addAll(found.completed());
    }

    /** Posts and records what waits, as far as {@code events} and {@code audit} (either may be null) allow. */
    synchronized void flush(EventAdmin events, AuditService audit) {
        if (events != null) {
            for (InterruptedDeploy d : unposted) {
                CurrentActor.as(d.actor(), () -> {
                    Map<String, Object> props = new LinkedHashMap<>();
                    props.put(Hop3Events.APP, d.app().value());
                    props.put(Hop3Events.REVISION, d.revision());
                    props.put(Hop3Events.MESSAGE, message(d));
                    events.postEvent(new Event(Hop3Events.APP_DEPLOY_INTERRUPTED, ActorProperties.add(props)));
                    return null;
                });
            }
            unposted.clear();
        }
        if (audit != null) {
            for (InterruptedDeploy d : unrecorded) {
                record(audit, d, AuditResult.failed(message(d)));
            }
            for (InterruptedDeploy d : completedUnrecorded) {
                record(audit, d, AuditResult.success());
            }
            unrecorded.clear();
            completedUnrecorded.clear();
        }
    }

    private static void record(AuditService audit, InterruptedDeploy d, AuditResult result) {
        CurrentActor.as(d.actor(), () -> {
            Audited.record(audit, "app.deploy", d.app().value(), result, List.of(d.revision()));
            return null;
        });
    }

    /** What happened to an interrupted deploy, in one line. */
    static String message(InterruptedDeploy d) {
        return "interrupted by a platform stop: the deploy of " + d.revision() + " started at " + d.started()
                + " was found unfinished at the next start (" + d.found() + "); nothing of it was kept. Push again.";
    }
}
