package cloud.hop3.core.command;

import java.util.Optional;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.tls.CertificateException;
import cloud.hop3.api.tls.CertificateService;
import cloud.hop3.api.tls.CertificateStatus;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "cert", name = "renew", description = "Issues a new certificate for an app now, for every host name it"
        + " answers to; the current one keeps serving until the new one is there.")
@Service
public class CertRenewCommand extends GuardedAction {

    @Reference
    private CertificateService certificates;

    @Argument(index = 0, name = "app", required = true, description = "The app's name.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Override
    Permission permission() {
        return Permission.DOMAINS;
    }

    @Override
    Optional<AppName> app() {
        return Optional.of(AppName.of(name));
    }

    @Override
    Object run() throws Exception {
        AppName app = AppName.of(name);
        try {
            CertificateStatus status = certificates.renew(app);
            System.out.println("Certificate for " + app + " (" + String.join(", ", status.hosts()) + ") issued by "
                    + status.issuer().orElse("?") + ", valid until "
                    + status.notAfter().map(AppListCommand.TIME::format).orElse("?") + ".");
        } catch (CertificateException e) {
            throw new IllegalStateException("The certificate for " + app + " could not be issued: " + e.getMessage(), e);
        }
        return null;
    }
}
