package cloud.hop3.tls.selfsigned;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;

/** A separate process using the CA in args[0]: says "ready", waits for a line on stdin, prints the CA's PEM. */
public final class CaProcess {

    private CaProcess() {
    }

    public static void main(String[] args) throws Exception {
        LocalCertificateAuthority authority = new LocalCertificateAuthority(Path.of(args[0]));
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        System.out.print(authority.certificatePem());
        System.out.flush();
    }
}
