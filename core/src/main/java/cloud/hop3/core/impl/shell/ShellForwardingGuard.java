package cloud.hop3.core.impl.shell;

import java.util.List;

import org.apache.sshd.common.session.helpers.AbstractSession;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses every kind of forwarding on Karaf's shell port: TCP both ways ({@code ssh -L}, {@code -R},
 * {@code -W}), the agent and X11. Karaf 4.4 builds its shell server with a filter that accepts all
 * of them and offers no setting to change that, so any shell key, a viewer's included, could
 * relay traffic through the platform or make it listen on every interface. The git server refuses
 * them by construction; this puts the shell on the same footing.
 *
 * <p>Karaf registers its {@link SshServer} as a service just before starting it, and a new one
 * whenever {@code etc/org.apache.karaf.shell.cfg} changes; the filter is set on each, from the
 * registering thread when core is already running, so before the new server listens. The first
 * server of a boot listens a few seconds before core starts: sessions opened in that window are
 * closed when the filter is set, so that no forward made then outlives it. The filter stays when
 * core stops: forwarding is never allowed again on that server.
 */
@Component(service = {}, immediate = true)
public class ShellForwardingGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ShellForwardingGuard.class);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindShellServer(SshServer server) {
        if (server.getForwardingFilter() instanceof RejectAllForwardingFilter) {
            return;
        }
        server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        List<AbstractSession> earlier = server.isStarted() ? server.getActiveSessions() : List.of();
        for (AbstractSession session : earlier) {
            session.close(true);
        }
        LOG.info("The shell's SSH server on port {} refuses forwarding{}", server.getPort(),
                earlier.isEmpty() ? "" : "; closed " + earlier.size() + " session(s) opened before");
    }

    void unbindShellServer(SshServer server) {
        // the filter stays: a server that core no longer watches keeps refusing forwarding
    }
}
