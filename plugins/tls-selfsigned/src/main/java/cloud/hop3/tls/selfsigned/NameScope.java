package cloud.hop3.tls.selfsigned;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * The DNS names the local CA may sign for, written into its certificate as X.509 name
 * constraints (permitted dNSName subtrees), so that a client that trusts the CA machine-wide
 * trusts it for these names only, even if its key is stolen: the names that never resolve in the
 * public DNS ({@link #SPECIAL_USE}), and the platform's domain with its subdomains.
 * <p>
 * A name is inside when it is one of these or ends with "." and one of them, as RFC 5280 reads a
 * dNSName subtree. Immutable.
 */
record NameScope(List<String> permitted) {

    /**
     * Names reserved from the public DNS: {@code localhost} (RFC 6761), {@code test} (RFC 6761),
     * {@code local} (RFC 6762, multicast DNS), {@code home.arpa} (RFC 8375) and {@code internal}
     * (reserved by ICANN for private use).
     */
    static final List<String> SPECIAL_USE = List.of("localhost", "test", "local", "home.arpa", "internal");

    NameScope {
        permitted = List.copyOf(permitted);
    }

    /** The special-use names and {@code domain} (the platform's), when not already among them. */
    static NameScope of(String domain) {
        Set<String> names = new LinkedHashSet<>(SPECIAL_USE);
        if (domain != null && !domain.isBlank() && !new NameScope(List.copyOf(names)).covers(domain)) {
            names.add(domain.toLowerCase(Locale.ROOT));
        }
        return new NameScope(List.copyOf(names));
    }

    /**
     * The scope written in {@code ca}; empty for a CA made before the local CA carried name
     * constraints, which may sign for any name.
     */
    static Optional<NameScope> of(X509Certificate ca) throws IOException {
        byte[] value = ca.getExtensionValue(Extension.nameConstraints.getId());
        if (value == null) {
            return Optional.empty();
        }
        NameConstraints constraints = NameConstraints.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value));
        List<String> names = new ArrayList<>();
        GeneralSubtree[] subtrees = constraints.getPermittedSubtrees();
        for (GeneralSubtree subtree : subtrees == null ? new GeneralSubtree[0] : subtrees) {
            if (subtree.getBase().getTagNo() == GeneralName.dNSName) {
                names.add(DERIA5String.getInstance(subtree.getBase().getName()).getString().toLowerCase(Locale.ROOT));
            }
        }
        return Optional.of(new NameScope(names));
    }

    /** Whether a certificate for {@code host} verifies against a CA with this scope. */
    boolean covers(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return permitted.stream().anyMatch(p -> name.equals(p) || name.endsWith("." + p));
    }

    /** The extension that writes this scope into a CA certificate (critical, as RFC 5280 asks). */
    NameConstraints constraints() {
        GeneralSubtree[] subtrees = permitted.stream()
                .map(p -> new GeneralSubtree(new GeneralName(GeneralName.dNSName, p)))
                .toArray(GeneralSubtree[]::new);
        return new NameConstraints(subtrees, null);
    }
}
