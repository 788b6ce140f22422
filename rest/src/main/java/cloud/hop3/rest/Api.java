package cloud.hop3.rest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.access.AccessDeniedException;
import cloud.hop3.api.access.AccessService;
import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.access.User;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.app.AppException;
import cloud.hop3.api.audit.AuditEntry;
import cloud.hop3.api.audit.AuditResult;
import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.deploy.DeployException;
import cloud.hop3.api.tls.CertificateException;

/**
 * The API apart from HTTP plumbing: finds the route, authenticates the bearer token (refusing an
 * address that failed too often), runs the route as the token's user through
 * {@link Door#API} after the authorization service allowed it, and turns every refusal and
 * failure into a problem document. CORS is closed: no {@code Access-Control-Allow-*} header is
 * ever sent, and a preflight request is refused.
 */
final class Api {

    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    /** The largest body taken, in bytes. */
    static final int MAX_BODY = 1 << 20;
    static final String JSON = "application/json";
    static final String PROBLEM = "application/problem+json";

    private final Services services;
    private final Router router;
    private final LoginThrottle throttle;

    Api(Services services, LoginThrottle throttle) {
        this(services, throttle, Routes.all(services));
    }

    /** An API of other routes, with the same authentication (the {@code /metrics} servlet's). */
    Api(Services services, LoginThrottle throttle, List<Route> routes) {
        this.services = services;
        this.throttle = throttle;
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
        if (route.permission() == null) {
            return run(route, new Call(request, match.values(), null));
        }
        String address = request.address();
        Optional<Duration> wait = throttle.blocked(address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            throw new Problem(429, "too-many-failed-logins", "Too many failed logins from " + address + "; try again in "
                    + seconds + " s.").with("Retry-After", String.valueOf(seconds));
        }
        User user = authenticate(request, address);
        Actor actor = new Actor(user.name(), Door.API, address);
        Call call = new Call(request, match.values(), actor);
        AccessService access = services.accessService();
        try {
            return access.runAs(actor, () -> {
                access.check(actor, route.permission(), route.scope().of(call));
                return run(route, call);
            });
        } catch (AccessDeniedException e) {
            throw new Problem(403, "forbidden", e.getMessage());
        }
    }

    private User authenticate(ApiRequest request, String address) {
        String header = request.header("authorization").orElse("").strip();
        if (header.isEmpty()) {
            throw new Problem(401, "unauthenticated", "This request needs a token: send 'Authorization: Bearer <token>'"
                    + " (an admin creates one with token:create <user>).").with("WWW-Authenticate", "Bearer realm=\"hop3\"");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            failed(address, "not a bearer token");
            throw new Problem(401, "unauthenticated", "The Authorization header is 'Bearer <token>'.")
                    .with("WWW-Authenticate", "Bearer realm=\"hop3\", error=\"invalid_request\"");
        }
        try {
            return services.accessService().authenticate(header.substring(7).strip());
        } catch (AccessDeniedException e) {
            failed(address, "token refused");
            throw new Problem(401, "invalid-token", e.getMessage())
                    .with("WWW-Authenticate", "Bearer realm=\"hop3\", error=\"invalid_token\"");
        }
    }

    /** A failed login: counted for the address, and recorded in the audit trail as the shell's are. */
    private void failed(String address, String reason) {
        throttle.failed(address);
        LOG.info("API: login refused from {}: {}", address, reason);
        try {
            services.auditService().record(new AuditEntry(new Actor("unknown", Door.API, address), "api.login", "unknown",
                    AuditResult.failed(reason), List.of()));
        } catch (RuntimeException e) {
            LOG.error("Audit: cannot record a refused API login from {}: {}", address, e.getMessage());
        }
    }

    private ApiResponse run(Route route, Call call) {
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
            response = new ApiResponse(reply.status, reply.contentType, reply.stream);
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
