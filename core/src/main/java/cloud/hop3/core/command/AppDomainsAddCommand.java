package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code app:domains-add}, the name of {@code domain:add} that Piku and Dokku users know. */
@Command(scope = "app", name = "domains-add", description = "Makes an app answer to another host name (as domain:add).")
@Service
public class AppDomainsAddCommand extends DomainAddCommand {
}
