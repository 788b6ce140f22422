package cloud.hop3.tls.acme;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Optional;
import java.util.Set;

import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.PollableResource;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.exception.AcmeException;

import cloud.hop3.api.app.HostName;
import cloud.hop3.api.tls.CertificateException;
import cloud.hop3.api.tls.IssuedCertificate;
import cloud.hop3.api.tls.TlsSupport;

/**
 * One certificate order: a new order for the hosts, an HTTP-01 challenge per pending
 * authorization (all answered through {@link TlsSupport#publishChallenge}, triggered, then awaited,
 * and always withdrawn), then the order finalized with a CSR for a new EC P-256 key, and the
 * certificate chain and key written. Polling honours the authority's Retry-After, stops at the
 * configured timeouts, and stops at once when the thread is interrupted.
 * <p>
 * <b>Callers.</b> {@link AcmeIssuer#issue}, one instance per issuance, on its worker thread;
 * {@link #stop} from the thread that waits for it.
 */
final class HttpChallengeOrder {

    /** Poll interval when the authority gives no Retry-After. */
    private static final Duration DEFAULT_POLL = Duration.ofSeconds(1);

    private final Login login;
    private final TlsSupport tls;
    private final AcmeSettings settings;
    /** The challenges published and not yet withdrawn; {@link #stop} may withdraw them from another thread. */
    private final List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Set by {@link #stop}; the certificate is written only while it is not set, under this object's lock. */
    private boolean stopped;
    /** Whether the certificate was written (under this object's lock). */
    private boolean written;

    HttpChallengeOrder(Login login, TlsSupport tls, AcmeSettings settings) {
        this.login = login;
        this.tls = tls;
        this.settings = settings;
    }

    IssuedCertificate issue(Set<String> hosts, Path directory)
            throws CertificateException, AcmeException, InterruptedException {
        Order order = login.newOrder().domains(hosts).create();
        authorize(order.getAuthorizations());
        Status ready = await(order, Set.of(Status.READY, Status.VALID, Status.INVALID), settings.orderTimeout(),
                "The order for " + String.join(", ", hosts));
        if (ready == Status.INVALID) {
            throw new CertificateException("The order for " + String.join(", ", hosts) + " failed: " + detail(order.getError()));
        }
        KeyPair key = PemFiles.newEcKeyPair();
        order.execute(key);
        Status done = await(order, Set.of(Status.VALID, Status.INVALID), settings.orderTimeout(),
                "The certificate for " + String.join(", ", hosts));
        if (done != Status.VALID) {
            throw new CertificateException("The authority refused the certificate for " + String.join(", ", hosts) + ": "
                    + detail(order.getError()));
        }
        Certificate certificate = order.getCertificate();
        List<X509Certificate> chain = certificate.getCertificateChain();
        synchronized (this) {
            checkNotStopped("The certificate for " + String.join(", ", hosts));
            try {
                PemFiles.writeCertificate(directory, PemFiles.chain(chain), PemFiles.privateKey(key.getPrivate()));
                written = true;
            } catch (IOException | RuntimeException e) {
                throw new CertificateException("Cannot write the certificate into " + directory + ": " + e.getMessage(), e);
            }
        }
        return new IssuedCertificate(hosts.stream().map(HostName::of).collect(Collectors.toSet()), directory.resolve(PemFiles.CHAIN), directory.resolve(PemFiles.KEY),
                chain.get(0).getNotAfter().toInstant());
    }

    /**
     * Stops this issuance from another thread, for when the issuing thread is stuck in a request
     * that does not see its interrupt: withdraws the published challenges at once, and the
     * issuing thread gives up at its next step without writing anything.
     *
     * @return whether the certificate had been written already (the caller removes it)
     */
    synchronized boolean stop() {
        stopped = true;
        withdrawAll();
        return written;
    }

    private synchronized void checkNotStopped(String what) throws InterruptedException {
        if (stopped) {
            throw new InterruptedException(what + " was stopped");
        }
    }

    private void withdrawAll() {
        for (String token : published) {
            tls.withdrawChallenge(token);
            published.remove(token);
        }
    }

    /** Answers every pending authorization's HTTP-01 challenge, all at once, then waits for each. */
    private void authorize(List<Authorization> authorizations)
            throws CertificateException, AcmeException, InterruptedException {
        List<Http01Challenge> triggered = new ArrayList<>();
        try {
            List<String> hosts = new ArrayList<>();
            for (Authorization authorization : authorizations) {
                if (authorization.getStatus() == Status.VALID) {
                    continue;
                }
                String host = authorization.getIdentifier().getDomain();
                Http01Challenge challenge = authorization.findChallenge(Http01Challenge.class)
                        .orElseThrow(() -> new CertificateException("The ACME authority offers no HTTP-01 challenge for "
                                + host + "; Hop3 proves control of a host name with HTTP-01 only"));
                synchronized (this) {
                    checkNotStopped("Challenge for " + host);
                    tls.publishChallenge(challenge.getToken(), challenge.getAuthorization());
                    published.add(challenge.getToken());
                }
                triggered.add(challenge);
                hosts.add(host);
            }
            for (Http01Challenge challenge : triggered) {
                challenge.trigger();
            }
            for (int i = 0; i < triggered.size(); i++) {
                Http01Challenge challenge = triggered.get(i);
                String what = "Challenge for " + hosts.get(i);
                Status status = await(challenge, Set.of(Status.VALID, Status.INVALID), settings.challengeTimeout(), what);
                checkNotStopped(what);
                if (status != Status.VALID) {
                    throw new CertificateException(what + " failed: " + detail(challenge.getError()));
                }
            }
        } finally {
            synchronized (this) {
                withdrawAll();
            }
        }
    }

    /** Polls {@code resource} until it reaches one of {@code done}, honouring Retry-After, within {@code timeout}. */
    private Status await(PollableResource resource, Set<Status> done, Duration timeout, String what)
            throws CertificateException, AcmeException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException(what + " was stopped");
            }
            checkNotStopped(what);
            Optional<Instant> retryAfter = resource.fetch();
            if (Thread.interrupted()) {
                throw new InterruptedException(what + " was stopped"); // a stop asked during the request wins over its answer
            }
            checkNotStopped(what);
            Status status = resource.getStatus();
            if (done.contains(status)) {
                return status;
            }
            Instant next = retryAfter.orElse(Instant.now().plus(DEFAULT_POLL));
            if (next.isAfter(deadline)) {
                throw new CertificateException(what + " did not complete within " + seconds(timeout)
                        + " (status " + status.name().toLowerCase() + ")");
            }
            long millis = Duration.between(Instant.now(), next).toMillis();
            if (millis > 0) {
                Thread.sleep(millis);
            }
        }
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() % 60 == 0 ? duration.toMinutes() + " min" : duration.toSeconds() + " s";
    }

    /** The authority's explanation of a problem, with those of its sub-problems. */
    static String detail(Optional<Problem> problem) {
        return problem.map(HttpChallengeOrder::detail).orElse("no reason given by the authority");
    }

    static String detail(Problem problem) {
        StringBuilder text = new StringBuilder(problem.getDetail()
                .or(problem::getTitle)
                .orElse(problem.getType().toString()));
        for (Problem sub : problem.getSubProblems()) {
            text.append("; ");
            sub.getIdentifier().ifPresent(id -> text.append(id.getValue()).append(": "));
            text.append(sub.getDetail().or(sub::getTitle).orElse(sub.getType().toString()));
        }
        return text.toString();
    }
}
