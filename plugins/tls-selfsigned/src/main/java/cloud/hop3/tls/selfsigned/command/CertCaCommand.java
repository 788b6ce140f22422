package cloud.hop3.tls.selfsigned.command;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.platform.Platform;
import cloud.hop3.api.tls.CertificateException;
import cloud.hop3.api.tls.TlsSupport;
import cloud.hop3.tls.selfsigned.LocalCertificateAuthority;
import cloud.hop3.tls.selfsigned.SelfSignedIssuer;

/**
 * Prints the local CA's certificate (PEM), for clients to trust: {@code bin/hop3 cert ca > hop3-ca.pem}.
 * Creates the CA when none exists yet, as the first certificate would.
 */
@Command(scope = "cert", name = "ca", description = "Prints the certificate of the local CA that signs self-signed certificates.")
@Service
public class CertCaCommand implements Action {

    @Reference
    private TlsSupport tls;

    @Reference
    private Platform platform;

    @Option(name = "-p", aliases = "--path", description = "Print the path of the CA certificate file instead of its content.")
    private boolean path;

    @Override
    public Object execute() throws CertificateException {
        print(new LocalCertificateAuthority(tls.stateDirectory(SelfSignedIssuer.NAME),
                platform.domain().value()), path, System.out);
        return null;
    }

    /** Prints the PEM text of {@code authority}'s certificate, or with {@code path} the file's path. */
    static void print(LocalCertificateAuthority authority, boolean path, PrintStream out) throws CertificateException {
        String pem = authority.certificatePem();
        out.print(path ? authority.certificateFile() + "\n" : pem);
        out.flush();
    }
}
