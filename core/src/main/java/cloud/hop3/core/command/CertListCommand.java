package cloud.hop3.core.command;

import java.util.Optional;
import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.tls.CertificateService;
import cloud.hop3.api.tls.CertificateStatus;
import cloud.hop3.core.command.completers.AppNameCompleter;

@Command(scope = "cert", name = "list", description = "Lists the apps' TLS certificates: issuer, host names, expiry, renewal.")
@Service
public class CertListCommand extends GuardedAction {

    @Reference
    private CertificateService certificates;

    @Argument(index = 0, name = "app", description = "Only this app's certificate.")
    @Completion(AppNameCompleter.class)
    private String name;

    @Option(name = "--no-format", description = "Prints plain columns separated by tabs, for scripts.")
    private boolean noFormat;

    @Override
    Permission permission() {
        return Permission.READ;
    }

    @Override
    Optional<AppName> app() {
        return Optional.ofNullable(name).map(AppName::of);
    }

    @Override
    Object run() throws Exception {
        Table table = new Table("App", "Issuer", "Hosts", "Expires", "Status");
        table.empty("No apps yet.");
        for (CertificateStatus status : name == null ? certificates.list().stream().filter(c -> mayRead(c.app())).toList()
                : List.of(certificates.status(AppName.of(name)))) {
            table.row(status.app().value(), status.issuer().orElse("-"),
                    status.hosts().isEmpty() ? "-" : String.join(",", status.hosts()),
                    status.notAfter().filter(t -> status.issuer().isPresent()).map(AppListCommand.TIME::format).orElse("-"),
                    describe(status));
        }
        table.print(System.out, noFormat);
        return null;
    }

    /** One line on the state of a certificate, for cert:list and app:info. */
    static String describe(CertificateStatus status) {
        if (status.failure().isPresent()) {
            return "FAILING since " + AppListCommand.TIME.format(status.failedSince().orElseThrow()) + " ("
                    + status.failures() + (status.failures() == 1 ? " attempt" : " attempts") + "): "
                    + status.failure().get()
                    + status.nextAttempt().map(t -> "; next attempt " + AppListCommand.TIME.format(t)).orElse("");
        }
        if (status.issuer().isEmpty()) {
            return status.wanted().isEmpty() ? "none (not served)" : "pending";
        }
        if (!status.hosts().containsAll(status.wanted())) {
            return "pending: new host names";
        }
        return status.renewAfter().map(t -> "valid; renews from " + AppListCommand.TIME.format(t)).orElse("valid");
    }
}
