package cloud.hop3.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupId;
import cloud.hop3.api.backup.BackupInfo;
import cloud.hop3.api.backup.BackupSchedule;
import cloud.hop3.api.backup.Retention;

/** Backups, as the shell's {@code backup:} commands: create, list, info, restore, verify, delete, schedule. */
final class BackupRoutes {

    private final Services services;

    BackupRoutes(Services services) {
        this.services = services;
    }

    List<Route> routes() {
        return List.of(
                new Route("GET", "/backups", Permission.READ, call -> call.query("app").map(a -> Call.appName(a, "invalid-app-name")),
                        this::list),
                new Route("POST", "/apps/{app}/backups", Permission.BACKUPS, Route.Scope.PATH_APP, this::create),
                new Route("GET", "/backups/{backup}", Permission.READ, this::subject, this::info),
                new Route("POST", "/backups/{backup}/restore", Permission.BACKUPS, this::subject, this::restore),
                new Route("POST", "/backups/{backup}/verify", Permission.READ, this::subject, this::verify),
                new Route("DELETE", "/backups/{backup}", Permission.BACKUPS, this::subject, this::delete),
                new Route("GET", "/apps/{app}/backup-schedule", Permission.READ, Route.Scope.PATH_APP, this::health),
                new Route("PUT", "/apps/{app}/backup-schedule", Permission.BACKUPS, Route.Scope.PATH_APP, this::schedule),
                new Route("DELETE", "/apps/{app}/backup-schedule", Permission.BACKUPS, Route.Scope.PATH_APP, this::unschedule));
    }

    /** The app a backup is of; empty for a backup of the platform, which only admins touch. */
    private Optional<AppName> subject(Call call) {
        return info(call.backup()).manifest().subject();
    }

    private BackupInfo info(BackupId id) {
        try {
            return services.backupService().info(id);
        } catch (BackupException e) {
            throw Problem.notFound("backup-not-found", e.getMessage());
        } catch (InterruptedException e) {
            throw AppRoutes.rethrow(e);
        }
    }

    private Object list(Call call) throws Exception {
        call.onlyQuery("app");
        Optional<AppName> app = call.query("app").map(a -> Call.appName(a, "invalid-app-name"));
        return AppRoutes.page(services.backupService().list(app), null);
    }

    private Object create(Call call) throws Exception {
        call.onlyQuery();
        call.object();
        AppName app = call.app();
        if (services.appService().find(app).isEmpty()) {
            throw Problem.notFound("app-not-found", "App '" + app + "' does not exist.");
        }
        CollectedLog log = new CollectedLog();
        BackupInfo info = services.backupService().create(app, log);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backup", info);
        m.put("log", log.lines());
        return Reply.created(m).header("Location", "/api/v1/backups/" + info.manifest().id());
    }

    private Object info(Call call) {
        call.onlyQuery();
        return info(call.backup());
    }

    private Object restore(Call call) throws Exception {
        call.onlyQuery();
        ObjectNode body = call.object("to");
        Optional<AppName> to = Optional.ofNullable(Call.text(body, "to", false)).map(a -> Call.appName(a, "invalid-app-name"));
        if (to.isPresent()) {
            services.accessService().check(call.actor(), Permission.BACKUPS, to);
        }
        CollectedLog log = new CollectedLog();
        AppName restored = services.backupService().restore(call.backup(), to, log);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("app", restored.value());
        m.put("log", log.lines());
        return m;
    }

    private Object verify(Call call) throws Exception {
        call.onlyQuery();
        call.object();
        return services.backupService().verify(call.backup());
    }

    private Object delete(Call call) throws Exception {
        call.onlyQuery();
        services.backupService().delete(call.backup());
        return Reply.noContent();
    }

    private Object health(Call call) throws Exception {
        call.onlyQuery();
        return services.backupService().health(call.app());
    }

    private Object schedule(Call call) throws Exception {
        call.onlyQuery();
        ObjectNode body = call.object("cron", "keep_last", "keep_daily", "keep_weekly", "keep_monthly");
        BackupSchedule schedule;
        try {
            schedule = new BackupSchedule(Call.text(body, "cron", true), new Retention(keep(body, "keep_last"),
                    keep(body, "keep_daily"), keep(body, "keep_weekly"), keep(body, "keep_monthly")));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("invalid-schedule", e.getMessage());
        }
        try {
            services.backupService().schedule(call.app(), schedule);
        } catch (BackupException e) {
            throw Problem.badRequest("invalid-schedule", e.getMessage());
        }
        return services.backupService().health(call.app());
    }

    private static int keep(ObjectNode body, String field) {
        Integer v = Call.integer(body, field, 0, 10_000);
        return v == null ? 0 : v;
    }

    private Object unschedule(Call call) throws Exception {
        call.onlyQuery();
        services.backupService().unschedule(call.app());
        return Reply.noContent();
    }
}
