package cloud.hop3.core.command;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.backup.BackupHealth;
import cloud.hop3.api.backup.BackupInfo;
import cloud.hop3.api.backup.BackupService;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "backup", name = "list", description = "Lists the backups in the store, newest first, and how an app's backups stand.")
@Service
public class BackupListCommand extends GuardedAction {

    @Reference
    private BackupService backups;

    @Option(name = "--no-format", description = "Prints plain columns separated by tabs, for scripts.")
    private boolean noFormat;

    @Argument(index = 0, name = "app", description = "Only this app's backups.")
    @Completion(AppNameCompleter.class)
    private String app;

    /** For Karaf. */
    public BackupListCommand() {
    }

    BackupListCommand(BackupService backups, String app, boolean noFormat) {
        this.backups = backups;
        this.app = app;
        this.noFormat = noFormat;
    }

    @Override
    Permission permission() {
        return Permission.READ;
    }

    @Override
    Optional<AppName> app() {
        return Optional.ofNullable(app).map(AppName::of);
    }

    @Override
    Object run() throws Exception {
        Optional<AppName> only = Optional.ofNullable(app).map(AppName::of);
        if (only.isPresent()) {
            System.out.println("Backups of " + app + ": " + health(backups.health(only.get()), Instant.now()));
        }
        Table table = new Table("Id", "App", "Taken", "Size", "Parts", "Store", "Restore check");
        Instant now = Instant.now();
        table.empty("No backups" + only.map(a -> " of " + a).orElse("") + ": take one with backup:create <app>, or of every app"
                + " with platform:backup.");
        boolean admin = may(Permission.ADMINISTER, Optional.empty());
        for (BackupInfo b : backups.list(only)) {
            // a platform backup is an admin's to see; an app's, a reader's of that app
            if (!admin && !b.manifest().subject().map(this::mayRead).orElse(false)) {
                continue;
            }
            table.row(b.manifest().id(), subject(b.manifest()), AppListCommand.TIME.format(b.manifest().created()),
                    size(b.manifest().size()), b.manifest().parts().size(), b.store(), check(b, now));
        }
        table.print(System.out, noFormat);
        return null;
    }

    /** The app a backup is of, or "(platform)". */
    static String subject(cloud.hop3.api.backup.BackupManifest m) {
        return m.subject().map(AppName::value).orElse("(platform)");
    }

    /** How an app's backups stand, in one line: "last good backup 3 h ago", or its failures since. */
    static String health(BackupHealth h, Instant now) {
        StringBuilder s = new StringBuilder(h.lastGood().map(t -> "last good backup " + ago(t, now)).orElse("no good backup yet"));
        if (h.failures() > 0) {
            s.append(", ").append(h.failures()).append(h.failures() == 1 ? " failure" : " failures").append(" since: ")
                    .append(h.lastFailure().orElse("?"));
        }
        h.lastCheck().ifPresent(c -> s.append(c.passed() ? "; last restore check passed " + ago(c.at(), now)
                : "; last restore check FAILED " + ago(c.at(), now) + ": " + c.detail()));
        h.schedule().ifPresent(sc -> s.append("; scheduled '").append(sc.cron()).append("' UTC, ").append(sc.retention())
                .append(h.nextRun().map(n -> ", next " + AppListCommand.TIME.format(n)).orElse("")));
        return s.toString();
    }

    /** A backup's last restore check in a few words: "passed 2 h ago", "FAILED 2 h ago: ...", "not checked". */
    static String check(BackupInfo b, Instant now) {
        return b.check().map(c -> c.passed() ? "passed " + ago(c.at(), now)
                : "FAILED " + ago(c.at(), now) + ": " + c.detail()).orElse("not checked");
    }

    static String ago(Instant t, Instant now) {
        Duration d = Duration.between(t, now);
        if (d.toMinutes() < 1) {
            return "just now";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + " min ago";
        }
        if (d.toDays() < 2) {
            return d.toHours() + " h ago";
        }
        return d.toDays() + " days ago";
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
