package cloud.hop3.core.impl.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.security.auth.Subject;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.audit.AuditEntry;
import cloud.hop3.api.event.Hop3Events;
import cloud.hop3.core.impl.actor.CurrentActor;

class AuditEventsTest {

    private static final Actor ADA = new Actor("ada", Door.SHELL, "192.0.2.7");

    @Test
    void anEventCarriesTheActorOfTheThreadThatPostedIt() {
        Map<String, Object> props = new HashMap<>(Map.of(Hop3Events.APP, "shop", Hop3Events.BACKUP, "shop-20261205",
                Hop3Events.MESSAGE, "Stored in local"));
        CurrentActor.as(ADA, () -> ActorProperties.add(props));
        AuditEntry e = AuditEvents.entry(new Event(Hop3Events.BACKUP_CREATED, props));
        assertEquals(ADA, e.actor());
        assertEquals("backup.create", e.action());
        assertEquals("shop", e.target());
        assertEquals("ok", e.result().toString());
        assertEquals(List.of("shop-20261205"), e.details());
    }

    @Test
    void eventsWithoutAnActorAreThePlatformsAndFailuresKeepTheirReason() {
        AuditEntry crash = AuditEvents.entry(new Event(Hop3Events.APP_CRASHED, Map.of(Hop3Events.APP, "shop",
                Hop3Events.RELEASE, 4, Hop3Events.MESSAGE, "web.1 crashed repeatedly and is no longer restarted")));
        assertEquals(Actor.platform(Door.PLATFORM), crash.actor());
        assertEquals("app.crash", crash.action());
        assertEquals("failed: web.1 crashed repeatedly and is no longer restarted", crash.result().toString());
        assertEquals(List.of("v4"), crash.details());

        AuditEntry tls = AuditEvents.entry(new Event(Hop3Events.TLS_FAILED, Map.of(Hop3Events.APP, "shop",
                Hop3Events.HOSTS, "shop.example.com,www.example.com", Hop3Events.MESSAGE, "rate limited")));
        assertEquals("cert.issue", tls.action());
        assertEquals(List.of("shop.example.com", "www.example.com"), tls.details());

        AuditEntry store = AuditEvents.entry(new Event(Hop3Events.BACKUP_FAILED, Map.of(Hop3Events.APP, "shop",
                Hop3Events.MESSAGE, "Fatal: unable to open s3://backup:hunter2@s3.example.com/shop")));
        assertEquals("failed: Fatal: unable to open s3://backup:***@s3.example.com/shop", store.result().toString());

        AuditEntry platform = AuditEvents.entry(new Event(Hop3Events.BACKUP_FAILED, Map.of(Hop3Events.MESSAGE, "The platform: disk full")));
        assertEquals("platform", platform.target());
        assertNull(AuditEvents.entry(new Event(Hop3Events.APP_DEPLOYED, Map.of(Hop3Events.APP, "shop"))),
                "deploys are recorded by the pipeline, once");
    }

    @Test
    void aFailedLoginNamesTheUserTriedAndTheAddress() {
        Subject subject = new Subject();
        subject.getPrincipals().add(new ClientPrincipal("ssh(/198.51.100.9:40022)"));
        AuditEntry e = AuditEvents.entry(new Event(AuditEvents.LOGIN_FAILURE, Map.of("username", "mallory",
                "subject", subject, "type", "failure")));
        assertEquals(new Actor("mallory", Door.SHELL, "ssh(/198.51.100.9:40022)"), e.actor());
        assertEquals("shell.login", e.action());
        assertEquals("failed: login refused", e.result().toString());
        AuditEntry odd = AuditEvents.entry(new Event(AuditEvents.LOGIN_FAILURE, Map.of("username", "Robert'); DROP")));
        assertEquals("unknown", odd.actor().user());
        assertEquals(Set.of(), Set.copyOf(odd.details()));
    }

    @Test
    void aFailedPasswordLoginOfTheRestApiIsLeftToTheApiWhichRecordsItWithItsDoor() {
        Subject subject = new Subject();
        subject.getPrincipals().add(new ClientPrincipal("api(198.51.100.9)"));
        assertNull(AuditEvents.entry(new Event(AuditEvents.LOGIN_FAILURE, Map.of("username", "mallory",
                "subject", subject, "type", "failure"))));
    }

    /** Named like Karaf's, which the subscriber recognises by its simple name. */
    private record ClientPrincipal(String getName) implements Principal {
    }
}
