package cloud.hop3.core.impl.audit;

import java.util.ArrayList;
import java.util.List;

import javax.security.auth.Subject;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.audit.AuditEntry;
import cloud.hop3.api.audit.AuditResult;
import cloud.hop3.api.audit.AuditService;
import cloud.hop3.api.event.Hop3Events;

/**
 * Records in the audit trail what core reports by event rather than recording itself, because it
 * happens away from the request that caused it: crashes, certificates issued or failed, backups
 * taken or failed and failed restore checks; and the shell's failed logins, which Karaf's login
 * realm posts (its {@code audit.eventadmin} module, on by default). The actor is the one the
 * event names ({@link ActorProperties}); changes made synchronously (deploys, config, scaling,
 * domains, keys, add-ons, restores) are recorded by the services that make them.
 */
@Component(service = EventHandler.class, property = {
        EventConstants.EVENT_TOPIC + "=" + Hop3Events.APP_CRASHED,
        EventConstants.EVENT_TOPIC + "=" + Hop3Events.APP_OUT_OF_MEMORY,
        EventConstants.EVENT_TOPIC + "=" + Hop3Events.TLS_TOPIC_PREFIX + "*",
        EventConstants.EVENT_TOPIC + "=" + Hop3Events.BACKUP_TOPIC_PREFIX + "*",
        EventConstants.EVENT_TOPIC + "=" + AuditEvents.LOGIN_FAILURE})
public class AuditEvents implements EventHandler {

    /** The topic of a failed login of Karaf's realm. */
    static final String LOGIN_FAILURE = "org/apache/karaf/login/FAILURE";
    /** How the name of the client principal of a REST API login starts (Karaf's "method(address)"). */
    static final String API_CLIENT = "api(";

    @Reference
    private AuditService audit;

    /** For DS. */
    public AuditEvents() {
    }

    /** For tests. */
    public AuditEvents(AuditService audit) {
        this.audit = audit;
    }

    @Override
    public void handleEvent(Event event) {
        AuditEntry entry = entry(event);
        if (entry != null) {
            Audited.write(audit, entry);
        }
    }

    /** What an event puts in the trail, or null for an event that is no change. */
    static AuditEntry entry(Event event) {
        String topic = event.getTopic();
        if (LOGIN_FAILURE.equals(topic)) {
            return loginFailure(event);
        }
        Actor actor = ActorProperties.of(event);
        String app = text(event, Hop3Events.APP);
        String message = Audited.withoutPasswords(text(event, Hop3Events.MESSAGE));
        String target = app.isEmpty() ? "platform" : app;
        List<String> details = new ArrayList<>();
        Object release = event.getProperty(Hop3Events.RELEASE);
        if (release != null) {
            details.add("v" + release);
        }
        String action;
        AuditResult result;
        switch (topic) {
            case Hop3Events.APP_CRASHED -> {
                action = "app.crash";
                result = AuditResult.failed(message);
            }
            case Hop3Events.APP_OUT_OF_MEMORY -> {
                action = "app.out-of-memory";
                result = AuditResult.failed(message);
            }
            case Hop3Events.TLS_ISSUED, Hop3Events.TLS_FAILED -> {
                action = "cert.issue";
                result = Hop3Events.TLS_ISSUED.equals(topic) ? AuditResult.success() : AuditResult.failed(message);
                for (String host : text(event, Hop3Events.HOSTS).split(",")) {
                    details.add(host);
                }
            }
            case Hop3Events.BACKUP_CREATED, Hop3Events.BACKUP_FAILED -> {
                action = "backup.create";
                result = Hop3Events.BACKUP_CREATED.equals(topic) ? AuditResult.success() : AuditResult.failed(message);
                details.add(text(event, Hop3Events.BACKUP));
            }
            case Hop3Events.BACKUP_CHECK_FAILED -> {
                action = "backup.check";
                result = AuditResult.failed(message);
                details.add(text(event, Hop3Events.BACKUP));
            }
            default -> {
                return null;
            }
        }
        return new AuditEntry(actor, action, target, result, Audited.words(details));
    }

    /**
     * A failed login to the shell: the user name tried (when it is a valid one; else
     * {@code unknown}) at the address Karaf's SSH server put in the subject, if it did. None for
     * a password login of the REST API (its client principal is {@code api(<address>)}): the
     * API records those itself, with its door, when it refuses them.
     */
    private static AuditEntry loginFailure(Event event) {
        String tried = text(event, "username");
        boolean valid = Actor.USER_NAME.matcher(tried).matches();
        String address = null;
        if (event.getProperty("subject") instanceof Subject subject) {
            address = subject.getPrincipals().stream()
                    .filter(p -> p.getClass().getSimpleName().equals("ClientPrincipal"))
                    .map(java.security.Principal::getName).findFirst().orElse(null);
        }
        if (address != null && address.startsWith(API_CLIENT)) {
            return null;
        }
        Actor actor = new Actor(valid ? tried : "unknown", Door.SHELL, address);
        return new AuditEntry(actor, "shell.login", valid ? tried : "unknown", AuditResult.failed("login refused"), List.of());
    }

    private static String text(Event event, String property) {
        Object v = event.getProperty(property);
        return v == null ? "" : v.toString();
    }
}
