package cloud.hop3.core.impl.audit;

import java.util.Map;

import org.osgi.service.event.Event;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.event.Hop3Events;
import cloud.hop3.core.impl.actor.CurrentActor;

/**
 * The actor of a change as properties of the events that report it. Events are delivered on
 * another thread, after the change: the thread that posts them names its actor in them
 * ({@link #add}), and a subscriber reads it back ({@link #of}).
 */
public final class ActorProperties {

    private ActorProperties() {
    }

    /** Adds this thread's actor ({@link CurrentActor#orPlatform()}) to {@code properties}, and returns them. */
    public static Map<String, Object> add(Map<String, Object> properties) {
        Actor actor = CurrentActor.orPlatform();
        properties.put(Hop3Events.ACTOR, actor.user());
        properties.put(Hop3Events.ACTOR_DOOR, actor.door().name().toLowerCase(java.util.Locale.ROOT));
        properties.put(Hop3Events.ACTOR_ADDRESS, actor.address());
        return properties;
    }

    /** The actor an event names, or the platform itself when it names none (or not a valid one). */
    public static Actor of(Event event) {
        Object user = event.getProperty(Hop3Events.ACTOR);
        Object door = event.getProperty(Hop3Events.ACTOR_DOOR);
        Object address = event.getProperty(Hop3Events.ACTOR_ADDRESS);
        if (user == null || door == null) {
            return Actor.platform(Door.PLATFORM);
        }
        try {
            return new Actor(user.toString(), Door.valueOf(door.toString().toUpperCase(java.util.Locale.ROOT)),
                    address == null ? null : address.toString());
        } catch (IllegalArgumentException e) {
            return Actor.platform(Door.PLATFORM);
        }
    }
}
