package cloud.hop3.core.command;

import java.util.Optional;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppInfo;
import cloud.hop3.api.app.AppLimits;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupService;
import cloud.hop3.api.deploy.DeployService;
import cloud.hop3.api.deploy.InterruptedDeploy;
import cloud.hop3.api.process.ProcessState;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.api.tls.CertificateService;
import cloud.hop3.api.tls.CertificateStatus;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "app", name = "info", description = "Shows an app's release, processes and domains.")
@Service
public class AppInfoCommand extends GuardedAction {

    @Reference
    private AppService apps;

    @Reference
    private CertificateService certificates;

    @Reference(optional = true)
    private BackupService backups;

    @Reference
    private DeployService deploys;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Override
    Permission permission() {
        return Permission.READ;
    }

    @Override
    Optional<AppName> app() {
        return Optional.of(AppName.of(name));
    }

    @Override
    Object run() throws Exception {
        AppName app = AppName.of(name);
        AppInfo info = apps.find(app).orElseThrow(() -> new IllegalArgumentException("App '" + app + "' does not exist."));
        System.out.println("App:       " + info.name());
        System.out.println("Created:   " + AppListCommand.TIME.format(info.created()));
        System.out.println("Release:   " + info.currentRelease().map(r -> "v" + r.number() + " (" + r.reason() + ", "
                + AppListCommand.TIME.format(r.created()) + ")").orElse("not deployed"));
        deploys.interrupted(app).ifPresent(d -> System.out.println(interrupted(d)));
        System.out.println("Domains:   " + (info.domains().isEmpty() ? "-" : String.join(", ", info.domains())));
        CertificateStatus tls = certificates.status(app);
        System.out.println("TLS:       " + tls.issuer().map(i -> i + " certificate for " + String.join(", ", tls.hosts())
                + ", expires " + tls.notAfter().map(AppListCommand.TIME::format).orElse("?") + "; ").orElse("")
                + CertListCommand.describe(tls));
        if (backups != null) {
            String health;
            try {
                health = BackupListCommand.health(backups.health(app), java.time.Instant.now());
            } catch (BackupException e) {
                health = "unknown: " + e.getMessage();
            }
            System.out.println("Backups:   " + health);
        }
        System.out.println("Driver:    " + AppDriverCommand.describe(apps.driver(app)));
        System.out.println("Isolation: " + apps.isolation(app));
        AppLimits limits = apps.limits(app);
        System.out.println("Limits:    " + limits.effective() + " per process; " + limits.enforcement());
        System.out.println("App ports: " + limits.appPorts());
        List<ProcessStatus> processes = apps.processes(app);
        System.out.println("Processes: " + (processes.isEmpty() ? "none running" : AppPsCommand.summary(processes)));
        processes.stream().filter(p -> p.state() == ProcessState.CRASHED).forEach(p ->
                System.out.println("Crashed:   " + p.type() + "." + p.index() + " after " + p.restarts()
                        + " restarts" + (p.lastExit() == null ? "" : ", last " + p.lastExit()) + "; see app:logs " + app));
        return null;
    }

    /** The warning about a last deploy that a stop of the platform interrupted. */
    static String interrupted(InterruptedDeploy d) {
        return "Deploy:    last deploy interrupted by a platform stop (found at the start of "
                + AppListCommand.TIME.format(d.found()) + "): revision " + d.revision() + ", started by " + d.actor().user()
                + " at " + AppListCommand.TIME.format(d.started()) + "; nothing of it was kept. Push again.";
    }
}
