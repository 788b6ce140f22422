package cloud.hop3.rest;

import java.util.List;
import java.util.Optional;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;

/**
 * One operation of the API: a method on a path template ({@code /apps/{app}/config}), what it
 * asks the authorization service for, and its handler.
 *
 * @param method     the HTTP method
 * @param template   the path below {@code /api/v1}, with {@code {name}} segments
 * @param permission what it does, as the shell command doing the same asks for it
 * @param scope      the app it does it on (empty: the platform, or every app's lists)
 * @param handler    the work, once allowed
 * @param open       whether it needs no login at all (then {@code permission} is null); a route
 *                   with no permission that is not open needs a login and asks for nothing else
 */
record Route(String method, String template, Permission permission, Scope scope, Handler handler, boolean open) {

    Route {
        if (open && permission != null) {
            throw new IllegalArgumentException(method + " " + template + " needs no login, so it asks for no permission");
        }
    }

    /** A route that needs {@code permission} (a login), or, when it is null, nothing at all. */
    Route(String method, String template, Permission permission, Scope scope, Handler handler) {
        this(method, template, permission, scope, handler, permission == null);
    }

    /** A route for anyone logged in, whatever they may do: their own session. */
    static Route loggedIn(String method, String template, Handler handler) {
        return new Route(method, template, null, Scope.PLATFORM, handler, false);
    }

    /** Which app a call is about, read from its path or body; validates what it reads. */
    @FunctionalInterface
    interface Scope {
        Optional<AppName> of(Call call);

        /** The app of the path's {@code {app}}. */
        Scope PATH_APP = call -> Optional.of(call.app());
        /** No app: the platform, or every app's lists. */
        Scope PLATFORM = call -> Optional.empty();
    }

    /** The work of a route. Returns a {@link Reply}, or a body for 200 OK. */
    @FunctionalInterface
    interface Handler {
        Object handle(Call call) throws Exception;
    }

    /** The template's segments. */
    List<String> segments() {
        return List.of(template.substring(1).split("/"));
    }

    /** The template as OpenAPI writes it (the same syntax). */
    String key() {
        return method + " " + template;
    }
}
