import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;


import cloud.hop3.api.app.HostName;
import cloud.hop3.api.tls.TlsSupport;
import cloud.hop3.tls.selfsigned.SelfSignedIssuer;

/** Run by scripts/bench-selfsigned: times the self-signed issuer on the real file system. */
public class SelfSignedBench {

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int runs = Integer.parseInt(args[1]);
        TlsSupport tls = new TlsSupport() {
            @Override
            public Path stateDirectory(String issuer) {
                try {
                    return Files.createDirectories(root.resolve("tls").resolve(issuer));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void publishChallenge(String token, String content) {
            }

            @Override
            public void withdrawChallenge(String token) {
            }
        };
        SelfSignedIssuer.Config config = new SelfSignedIssuer.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SelfSignedIssuer.Config.class;
            }

            @Override
            public int validityDays() {
                return 90;
            }

            @Override
            public int renewBeforeDays() {
                return 30;
            }
        };
        long start = System.nanoTime();
        SelfSignedIssuer issuer = new SelfSignedIssuer(tls, config);
        issuer.issue(new LinkedHashSet<>(List.of(HostName.of("shop.localhost"), HostName.of("www.shop.localhost"))), root.resolve("apps/first"));
        System.out.printf("first issue, creating the CA, in a fresh JVM: %.0f ms%n", (System.nanoTime() - start) / 1e6);
        for (int i = 0; i < 50; i++) {
            issuer.issue(Set.of(HostName.of("warm-" + i + ".localhost")), root.resolve("warm/" + i));
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            issuer.issue(Set.of(HostName.of("app-" + i + ".localhost"), HostName.of("www.app-" + i + ".localhost")), root.resolve("apps/" + i));
            millis[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(millis);
        System.out.printf("issue (new key, certificate, chain.pem and key.pem written and fsynced), %d runs:"
                + " median %.1f ms, p90 %.1f ms, max %.1f ms%n", runs, millis[runs / 2], millis[runs * 9 / 10],
                millis[runs - 1]);
        start = System.nanoTime();
        new SelfSignedIssuer(tls, config).issue(Set.of(HostName.of("again.localhost")), root.resolve("apps/again"));
        System.out.printf("new issuer instance loading the CA from disk, first issue: %.1f ms%n",
                (System.nanoTime() - start) / 1e6);
    }
}
