package cloud.hop3.core.command;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.audit.AuditFilter;
import cloud.hop3.api.audit.AuditRecord;
import cloud.hop3.api.audit.AuditService;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "audit", name = "list", description = "Lists the latest records of the audit trail, oldest first: who changed what, through which door, with which result. A non-admin sees the records of the apps they may read.")
@Service
public class AuditListCommand extends GuardedAction {

    @Reference
    private AuditService audit;

    @Option(name = "-a", aliases = "--app", description = "Only the changes of this app.")
    @Completion(AppNameCompleter.class)
    private String app;

    @Option(name = "-u", aliases = "--user", description = "Only the changes made by this user.")
    private String user;

    @Option(name = "-s", aliases = "--since", description = "Only the changes from this time on: an ISO time (2026-12-05T10:00:00Z) or an age such as 30m, 2h or 3d.")
    private String since;

    @Option(name = "-n", aliases = "--limit", description = "At most this many records, the latest ones (100 unless given).")
    private int limit = 100;

    @Option(name = "--no-format", description = "Prints plain columns separated by tabs, for scripts.")
    private boolean noFormat;

    /** For Karaf. */
    public AuditListCommand() {
    }

    AuditListCommand(AuditService audit, String app, String user, String since, int limit, boolean noFormat) {
        this.audit = audit;
        this.app = app;
        this.user = user;
        this.since = since;
        this.limit = limit;
        this.noFormat = noFormat;
    }

    /** The actions about one app, named by their target: what a non-admin may see of the apps they read. */
    static final List<String> APP_ACTIONS = List.of("app.", "config.", "domain.", "cert.", "backup.", "addon.");

    @Override
    Permission permission() {
        return Permission.READ;
    }

    @Override
    Object run() throws Exception {
        if (limit < 1) {
            throw new IllegalArgumentException("--limit is a number of records, 1 or more, not " + limit);
        }
        AuditFilter filter = new AuditFilter(Optional.ofNullable(app).map(AppName::of), Optional.ofNullable(user),
                Optional.ofNullable(since).map(s -> since(s, Instant.now())), 0, AuditFilter.MAX_LIMIT);
        boolean admin = may(Permission.ADMINISTER, Optional.empty());
        Deque<AuditRecord> latest = new ArrayDeque<>();
        for (List<AuditRecord> page = audit.list(filter); !page.isEmpty();
             page = audit.list(filter.after(page.get(page.size() - 1).sequence()))) {
            for (AuditRecord r : page) {
                if (!admin && !aboutAppTheyRead(r)) {
                    continue;
                }
                latest.addLast(r);
                if (latest.size() > limit) {
                    latest.removeFirst();
                }
            }
        }
        Table table = new Table("#", "Time", "User", "Door", "Address", "Action", "Target", "Result", "Details");
        table.empty("No change recorded" + (app == null && user == null && since == null ? "" : " that matches") + ".");
        for (AuditRecord r : latest) {
            table.row(r.sequence(), AppListCommand.TIME.format(r.time()), r.actor().user(),
                    r.actor().door().name().toLowerCase(java.util.Locale.ROOT), r.actor().address(), r.action(), r.target(),
                    r.result(), String.join(" ", r.details()));
        }
        table.print(System.out, noFormat);
        return null;
    }

    /** Whether a record is about an app the session's user may read: all that a non-admin sees of the trail. */
    private boolean aboutAppTheyRead(AuditRecord r) {
        if (APP_ACTIONS.stream().noneMatch(r.action()::startsWith)) {
            return false;
        }
        try {
            return mayRead(AppName.of(r.target()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** An ISO time, or an age back from {@code now}: a number and m (minutes), h (hours) or d (days). */
    static Instant since(String text, Instant now) {
        String t = text.strip();
        if (t.matches("[0-9]{1,6}[mhd]")) {
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            Duration age = switch (t.charAt(t.length() - 1)) {
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(age);
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--since takes an ISO time such as 2026-12-05T10:00:00Z, or an age such as"
                    + " 30m, 2h or 3d; not '" + text + "'.");
        }
    }
}
