package cloud.hop3.rest;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.audit.AuditEntry;
import cloud.hop3.api.audit.AuditResult;

/**
 * The slug of a release, for the cluster that runs it: a door of its own, apart from users'
 * logins. It needs no user and no session, only the bearer token made for that one release,
 * which opens that release's slug and nothing else; a missing or wrong token, another release's
 * token, an app or a release that does not exist all get the same 404. Each answer is written to
 * the audit trail.
 */
final class SlugRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(SlugRoutes.class);
    /** Who fetches a slug, in the audit trail: the holder of a release's token. */
    static final String ACTOR = "release-token";

    private final Services services;

    SlugRoutes(Services services) {
        this.services = services;
    }

    List<Route> routes() {
        return List.of(new Route("GET", "/apps/{app}/releases/{release}/slug", null, Route.Scope.PLATFORM, this::slug, true));
    }

    private Object slug(Call call) {
        String appText = call.path("app");
        String releaseText = call.path("release");
        String token = call.request().header("authorization").filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).strip()).orElse("");
        Optional<Path> archive = Optional.empty();
        String target = AuditEntry.TARGET.matcher(appText).matches() ? appText : "unknown";
        if (AppName.isValid(appText) && releaseText.matches("[1-9][0-9]{0,8}") && !token.isEmpty()) {
            archive = services.releaseSlugs().slug(AppName.of(appText), Integer.parseInt(releaseText), token);
        }
        String release = releaseText.matches("[0-9]{1,9}") ? "v" + releaseText : "unknown";
        record(call, target, archive.isPresent() ? AuditResult.success()
                : AuditResult.failed("no slug for this token"), release);
        if (archive.isEmpty()) {
            throw Problem.notFound("not-found", "No slug answers this request.");
        }
        Path file = archive.get();
        return Reply.stream("application/gzip", out -> {
            try (InputStream in = Files.newInputStream(file)) {
                in.transferTo(out);
            }
        });
    }

    private void record(Call call, String target, AuditResult result, String release) {
        try {
            services.auditService().record(new AuditEntry(new Actor(ACTOR, Door.API, call.request().address()),
                    "release.slug", target, result, List.of(release)));
        } catch (RuntimeException e) {
            LOG.error("Audit: cannot record a slug fetch of {} {}: {}", target, release, e.getMessage());
        }
    }
}
