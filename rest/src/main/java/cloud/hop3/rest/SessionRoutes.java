package cloud.hop3.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Logging in with a password and out: {@code POST /session} checks a user name and password with
 * the shell's login realm ({@link JaasLogin}) and answers with the session's cookie;
 * {@code DELETE /session} ends the session of the request's cookie. A session acts as its user
 * with what the authorization service allows them, like a token of theirs.
 */
final class SessionRoutes {

    /** The longest password taken, in characters. */
    static final int MAX_PASSWORD = 1024;

    private final Logins logins;

    SessionRoutes(Logins logins) {
        this.logins = logins;
    }

    List<Route> routes() {
        return List.of(
                new Route("POST", "/session", null, Route.Scope.PLATFORM, this::open),
                Route.loggedIn("DELETE", "/session", this::close));
    }

    private Object open(Call call) {
        ApiRequest request = call.request();
        logins.checkNotBlocked(request.address());
        Logins.checkOrigin(request);
        call.onlyQuery();
        ObjectNode body = call.object("user", "password");
        String user = Call.text(body, "user", true);
        String password = Call.text(body, "password", true);
        if (password.length() > MAX_PASSWORD) {
            throw Problem.badRequest("invalid-body", "The password is longer than " + MAX_PASSWORD + " characters.");
        }
        // a session already open in this browser ends: the new login replaces it
        Logins.cookie(request).ifPresent(logins.sessions()::close);
        Sessions.Opened opened = logins.open(user, password.toCharArray(), request.address());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", opened.session().user());
        m.put("opened", opened.session().opened());
        m.put("expires", opened.session().expires());
        m.put("idleMinutes", logins.sessions().idle().toMinutes());
        return Reply.created(m).header("Set-Cookie", Logins.cookie(opened.secret(), request.secure()));
    }

    private Object close(Call call) {
        call.onlyQuery();
        ApiRequest request = call.request();
        if (request.header("authorization").isPresent()) {
            throw Problem.badRequest("no-session", "This request logged in with a token, which a logout does not end;"
                    + " revoke a token with DELETE /api/v1/tokens/{token}.");
        }
        logins.close(request, call.actor().user());
        return Reply.noContent().header("Set-Cookie", Logins.clearCookie(request.secure()));
    }
}
