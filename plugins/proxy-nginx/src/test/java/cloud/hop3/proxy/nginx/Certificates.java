package cloud.hop3.proxy.nginx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import cloud.hop3.api.proxy.TlsCertificate;

/** Self-signed test certificates made with openssl. */
final class Certificates {

    private Certificates() {
    }

    static TlsCertificate selfSigned(Path directory, String host) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path cert = directory.resolve(host + ".crt");
        Path key = directory.resolve(host + ".key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + host,
                "-addext", "subjectAltName=DNS:" + host)
                .redirectErrorStream(true).redirectOutput(directory.resolve(host + ".log").toFile()).start();
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            openssl.destroyForcibly();
            throw new IOException("openssl failed: " + Files.readString(directory.resolve(host + ".log")));
        }
        return new TlsCertificate(cert, key);
    }
}
