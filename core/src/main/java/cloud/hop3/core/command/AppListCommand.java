package cloud.hop3.core.command;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppInfo;
import cloud.hop3.api.app.AppService;

@Command(scope = "app", name = "list", description = "Lists the apps you may read, with their current release.")
@Service
public class AppListCommand extends GuardedAction {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    @Reference
    private AppService apps;

    @Option(name = "--no-format", description = "Prints plain columns separated by tabs, for scripts.")
    private boolean noFormat;

    @Override
    Permission permission() {
        return Permission.READ;
    }

    @Override
    Object run() throws Exception {
        Table table = new Table("Name", "Release", "Created");
        table.empty("No apps yet. Create one with app:create <name>, or push one with git.");
        for (AppInfo app : apps.list().stream().filter(a -> mayRead(a.name())).toList()) {
            String release = app.currentRelease().map(r -> "v" + r.number()).orElse("not deployed");
            table.row(app.name().value(), release, TIME.format(app.created()));
        }
        table.print(System.out, noFormat);
        return null;
    }
}
