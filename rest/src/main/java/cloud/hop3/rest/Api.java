package cloud.hop3.rest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.access.AccessDeniedException;
import cloud.hop3.api.access.AccessService;
import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.app.AppException;
import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.deploy.DeployException;
import cloud.hop3.api.tls.CertificateException;

/**
 * The API apart from HTTP plumbing: finds the route, authenticates the request ({@link Logins}: a
 * bearer token or a session's cookie, refusing an address that failed too often, and a change
 * made with a cookie that may come from another site), runs the route as that user through
 * {@link Door#API} after the authorization service allowed it, and turns every refusal and failure
 * into a problem document. A session's request runs as the JAAS subject of its login, its streams
 * too. CORS is closed: no {@code Access-Control-Allow-*} header is ever sent, and a preflight
 * request is refused.
 */
final class Api {

    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    /** The largest body taken, in bytes. */
    static final int MAX_BODY = 1 << 20;
    static final String JSON = "application/json";
    static final String PROBLEM = "application/problem+json";

    private final Services services;
    private final Router router;
    private final Logins logins;

    Api(Services services, Logins logins) {
        this(services, logins, Routes.all(services, logins));
    }

    /** An API of other routes, with the same authentication (the {@code /metrics} servlet's). */
    Api(Services services, Logins logins, List<Route> routes) {
        this.services = services;
        this.logins = logins;
        this.router = new Router(routes);
    }

    Router router() {
        return router;
    }

    ApiResponse handle(ApiRequest request) {
        try {
            return dispatch(request);
        } catch (Problem p) {
            return problem(p);
        } catch (RuntimeException e) {
            LOG.error("API: {} {} failed", request.method(), request.path(), e);
            return problem(new Problem(500, "internal-error", "The platform failed to answer this request; its log says why."));
        }
    }

    private ApiResponse dispatch(ApiRequest request) {
        if (request.method().equals("OPTIONS") && request.header("access-control-request-method").isPresent()) {
            throw new Problem(403, "cors-refused", "Cross-origin requests are not allowed: the API is for clients that"
                    + " send a token, not for scripts of other web sites.");
        }
        if (request.body().length > MAX_BODY) {
            throw Problem.badRequest("body-too-large", "The body is larger than " + MAX_BODY + " bytes; nothing was changed.");
        }
        Router.Match match = router.match(request.method(), request.path());
        Route route = match.route();
        if (route.open()) {
            return run(route, new Call(request, match.values(), null), null);
        }
        String address = request.address();
        logins.checkNotBlocked(address);
        Logins.Login login = logins.authenticate(request);
        if (login.session().isPresent()) {
            Logins.checkCrossSite(request);
        }
        Actor actor = new Actor(login.user(), Door.API, address);
        Call call = new Call(request, match.values(), actor);
        AccessService access = services.accessService();
        try {
            return login.asUnchecked(() -> access.runAs(actor, () -> {
                if (route.permission() != null) {
                    access.check(actor, route.permission(), route.scope().of(call));
                }
                return run(route, call, login);
            }));
        } catch (AccessDeniedException e) {
            throw new Problem(403, "forbidden", e.getMessage());
        }
    }

    /** Runs a route's work; a stream it answers is written as {@code login} (null: no login). */
    private ApiResponse run(Route route, Call call, Logins.Login login) {
        Object result;
        try {
            result = route.handler().handle(call);
        } catch (Problem | AccessDeniedException e) {
            throw e;
        } catch (NoSuchElementException e) {
            throw Problem.notFound("not-found", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("invalid-request", e.getMessage());
        } catch (IllegalStateException e) {
            throw Problem.conflict(e.getMessage());
        } catch (DeployException | AppException | AddonException | BackupException | CertificateException e) {
            throw new Problem(422, "change-failed", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem(503, "interrupted", "The platform is stopping; the request was interrupted.");
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            LOG.error("API: {} failed", route.key(), e);
            throw new Problem(500, "internal-error", "The platform failed: " + e.getMessage());
        }
        Reply reply = result instanceof Reply r ? r : Reply.ok(result);
        ApiResponse response;
        if (reply.stream != null) {
            ApiResponse.Body stream = reply.stream;
            response = new ApiResponse(reply.status, reply.contentType, login == null || login.session().isEmpty() ? stream
                    : out -> login.as(() -> {
                        stream.writeTo(out);
                        return null;
                    }));
        } else if (reply.status == 204 || reply.body == null) {
            response = new ApiResponse(reply.status == 200 ? 204 : reply.status, null, new byte[0]);
        } else if (reply.body instanceof byte[] raw) {
            response = new ApiResponse(reply.status, reply.contentType == null ? JSON : reply.contentType, raw);
        } else {
            response = new ApiResponse(reply.status, JSON, Json.bytes(reply.body));
        }
        reply.headers.forEach(response::header);
        return secured(response);
    }

    static ApiResponse problem(Problem p) {
        ApiResponse response = new ApiResponse(p.status(), PROBLEM, Json.bytes(p.document()));
        p.headers().forEach(response::header);
        return secured(response);
    }

    /** Headers every answer carries: never cached, never sniffed. */
    private static ApiResponse secured(ApiResponse response) {
        response.header("Cache-Control", "no-store");
        response.header("X-Content-Type-Options", "nosniff");
        return response;
    }

    /** A resource file of this bundle. */
    static byte[] resource(String name) {
        try (InputStream in = Api.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("The bundle has no " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
