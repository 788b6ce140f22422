package cloud.hop3.core.impl.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.access.Actor;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.event.Hop3Events;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.api.tls.CertificateException;
import cloud.hop3.api.tls.CertificateIssuer;
import cloud.hop3.api.tls.CertificateService;
import cloud.hop3.api.tls.CertificateStatus;
import cloud.hop3.api.tls.IssuedCertificate;
import cloud.hop3.api.tls.TlsSupport;
import cloud.hop3.core.impl.actor.CurrentActor;
import cloud.hop3.core.impl.audit.ActorProperties;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.plugin.support.files.Trees;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.plugin.PluginChooser;
import cloud.hop3.core.impl.state.DocumentStore;

/**
 * The apps' certificates: which one serves each app, issuing the missing ones and renewing the
 * ones that come due, with the issuer chosen by core's configuration. (What issuers use of core,
 * {@link TlsSupport}, is {@link IssuerSupport}: a separate component, so that issuers, which this
 * one references, do not reference it back.)
 * <p>
 * The route manager tells it, with every route table it builds, which apps are served under which
 * names ({@link #routed}). An app whose names are not all covered by its certificate, whose
 * certificate comes from another issuer than the one configured, or whose certificate is within
 * the issuer's renewal period gets a new one, on this component's own thread, never on a deploy's.
 * The certificate that served keeps serving until its successor is stored; then the listeners
 * (the route manager) apply the table again. A failed attempt is logged as an error, posted as a
 * {@link Hop3Events#TLS_FAILED} event, kept in the app's certificate document for
 * {@code app:info} and {@code cert:list}, and retried with growing delays.
 * <p>
 * State: {@code apps/<app>/tls/certificate.json} and one directory per issued certificate next to
 * it (the current one and the one before are kept), so that destroying an app removes its
 * certificates. Issuers keep their own state under {@code tls/<issuer>} and the HTTP-01 answers are
 * files in {@code tls/challenges}, which every route serves at {@link TlsSupport#CHALLENGE_PATH}.
 */
@Component(service = {Certificates.class, CertificateService.class}, immediate = true, configurationPid = CoreConfig.PID)
public class Certificates implements CertificateService {

    /**
     * The name the platform's own host name is served and certified under: the platform's user
     * name, which no app may take ({@code AppCatalog} refuses it).
     */
    public static final AppName PLATFORM = AppName.of(Actor.PLATFORM_USER);

    private static final Logger LOG = LoggerFactory.getLogger(Certificates.class);

    /** How often every served app's certificate is checked. */
    static final Duration SWEEP = Duration.ofMinutes(1);
    /** Delays before the next attempt after 1, 2, 3... failures in a row; the last one repeats. */
    static final List<Duration> RETRY_DELAYS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6));
    /** How long before expiry a certificate comes due when its issuer is not there to say. */
    static final Duration DEFAULT_RENEW_BEFORE = Duration.ofDays(30);
    /** Config var that turns the HTTP to HTTPS redirect of an app with a certificate on or off. */
    public static final String REDIRECT_VARIABLE = "HOP3_HTTPS_REDIRECT";
    static final String CHAIN = "chain.pem";
    static final String KEY = "key.pem";
    private static final String DOCUMENT = "certificate.json";

    private final PluginChooser<CertificateIssuer> issuers = new PluginChooser<>(PluginKind.CERTIFICATE_ISSUER);
    private final Map<AppName, Object> locks = new ConcurrentHashMap<>();
    private final Set<AppName> queued = ConcurrentHashMap.newKeySet();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<AppName, List<String>> routed = Map.of();
    private volatile String configuredIssuer = "";
    private volatile boolean active;

    @Reference
    private AppCatalog apps;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin events;

    private Clock clock = Clock.systemUTC();
    private DocumentStore store;
    private Path home;
    private Path challenges;
    private ScheduledExecutorService worker;

    /** For DS. */
    public Certificates() {
    }

    /** For tests: certificates of the apps in {@code apps}, state under {@code home}. */
    public Certificates(AppCatalog apps, Path home, Clock clock, String issuer) throws IOException {
        this.apps = apps;
        this.clock = clock;
        open(home, issuer);
    }

    @Activate
    void activate(CoreConfig config) throws IOException {
        open(PlatformSettings.resolve(config).home(), config.issuer());
    }

    @Modified
    void modified(CoreConfig config) {
        String before = configuredIssuer;
        configuredIssuer = blankToEmpty(config.issuer());
        if (!before.equals(configuredIssuer)) {
            LOG.info("Certificate issuer changed from '{}' to '{}'", before, configuredIssuer);
            checkAll();
        }
    }

    private void open(Path stateHome, String issuer) throws IOException {
        home = stateHome;
        store = new DocumentStore(home);
        challenges = IssuerSupport.challengeDirectory(home);
        Files.createDirectories(challenges);
        configuredIssuer = blankToEmpty(issuer);
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hop3-certificates");
            t.setDaemon(true);
            return t;
        });
        active = true;
        // renewals found by the sweep are the platform's, by schedule
        worker.scheduleWithFixedDelay(() -> CurrentActor.as(Actor.platform(Door.SCHEDULE), () -> {
            checkAll();
            return null;
        }), SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the sweep, and waits a little for an issuance under way to stop writing (by SCR; by tests without a framework). */
    @Deactivate
    public void deactivate() {
        active = false;
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("The certificates' thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Binds an issuer with its service properties (by SCR; by tests without a framework). */
    @Reference(service = CertificateIssuer.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "removeIssuer")
    public void addIssuer(CertificateIssuer issuer, Map<String, Object> properties) {
        issuers.add(issuer, properties);
        if (active) {
            checkAll();
        }
    }

    /** Unbinds an issuer. */
    public void removeIssuer(CertificateIssuer issuer, Map<String, Object> properties) {
        issuers.remove(issuer);
    }

    /** Runs {@code listener} (on this component's thread) after each certificate stored. */
    public void onIssued(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    /** The issuer in use, if installed. */
    public Optional<CertificateIssuer> issuer() {
        return issuers.choose(configuredIssuer);
    }

    // ---- what the route manager asks ----------------------------------------------------------

    /**
     * The apps served now, with their host names (the route manager calls it with every table it
     * builds). Apps whose certificate is missing or due get one in the background.
     */
    public void routed(Map<AppName, List<String>> hostsByApp) {
        routed = Map.copyOf(hostsByApp);
        if (active) {
            hostsByApp.keySet().forEach(this::checkLater);
        }
    }

    /** The certificate that serves {@code app}, when it has one whose files are there. */
    public Optional<TlsCertificate> serving(AppName app) {
        CertificateDocument doc = document(app);
        if (!doc.hasCertificate()) {
            return Optional.empty();
        }
        Path dir = tlsDirectory(app).resolve(doc.directory());
        Path chain = dir.resolve(CHAIN);
        Path key = dir.resolve(KEY);
        if (!Files.isReadable(chain) || !Files.isReadable(key)) {
            return Optional.empty();
        }
        return Optional.of(new TlsCertificate(chain, key));
    }

    /**
     * Whether plain HTTP to {@code app} is redirected to HTTPS: only with a certificate; then as
     * its {@value #REDIRECT_VARIABLE} config var says, or by default when the certificate's issuer
     * is trusted by browsers (a self-signed certificate alone would make browsers warn).
     */
    public boolean redirects(AppName app, Map<String, String> config) {
        if (serving(app).isEmpty()) {
            return false;
        }
        String setting = config.get(REDIRECT_VARIABLE);
        if (setting != null && !setting.isBlank()) {
            try {
                return truthy(setting);
            } catch (IllegalArgumentException e) {
                // refused when set; a value stored before that check uses the default
                LOG.debug("App {}: {}", app, e.getMessage());
            }
        }
        return document(app).trusted();
    }

    /**
     * Checks a value for {@value #REDIRECT_VARIABLE}.
     *
     * @throws IllegalArgumentException when it is not a yes or a no
     */
    public static void checkRedirectSetting(String value) {
        truthy(value);
    }

    private static boolean truthy(String value) {
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(REDIRECT_VARIABLE + " must be true or false (1/0, yes/no, on/off), not '"
                    + value + "'.");
        };
    }

    // ---- issuing ------------------------------------------------------------------------------

    private void checkAll() {
        if (active) {
            routed.keySet().forEach(this::checkLater);
        }
    }

    private void checkLater(AppName app) {
        if (queued.add(app)) {
            try {
                worker.execute(() -> {
                    queued.remove(app);
                    try {
                        if (due(app)) {
                            issue(app, false);
                        }
                    } catch (CertificateException e) {
                        // logged, posted and stored by issue
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        LOG.error("Checking the certificate of app {} failed", app, e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                queued.remove(app);
            }
        }
    }

    /** Whether {@code app} needs a certificate now (and is not waiting for a retry). */
    boolean due(AppName app) {
        List<String> wanted = routed.get(app);
        if (wanted == null || wanted.isEmpty() || !exists(app)) {
            return false;
        }
        CertificateDocument doc = document(app);
        Instant now = clock.instant();
        if (doc.failure() != null && doc.nextAttempt() != null && now.isBefore(doc.nextAttempt())) {
            return false;
        }
        Optional<CertificateIssuer> issuer = issuer();
        if (issuer.isEmpty()) {
            // nothing to ask; but a certificate that comes due meanwhile is reported as failing
            return doc.hasCertificate() && !now.isBefore(doc.notAfter().minus(DEFAULT_RENEW_BEFORE));
        }
        return reason(app, doc, wanted, issuer.get(), now) != null;
    }

    /** Why a new certificate is needed; null when the one that serves is fine. */
    private String reason(AppName app, CertificateDocument doc, List<String> wanted, CertificateIssuer issuer,
                          Instant now) {
        if (!doc.hasCertificate() || serving(app).isEmpty()) {
            return "no certificate yet";
        }
        if (!doc.hosts().containsAll(wanted)) {
            List<String> missing = new ArrayList<>(wanted);
            missing.removeAll(doc.hosts());
            return "new host names " + String.join(", ", missing);
        }
        if (!issuer.name().equals(doc.issuer())) {
            return "issuer changed from " + doc.issuer() + " to " + issuer.name();
        }
        if (!now.isBefore(doc.notAfter().minus(issuer.renewBefore()))) {
            return "expires " + doc.notAfter();
        }
        return null;
    }

    /** Issues a certificate for {@code app} now, for the names it is served under (cert:renew). */
    @Override
    public CertificateStatus renew(AppName app) throws CertificateException, InterruptedException {
        if (!exists(app)) {
            throw new NoSuchElementException("App '" + app + "' does not exist.");
        }
        if (!routed.containsKey(app)) {
            throw new IllegalStateException("App '" + app + "' is not served (not deployed yet, or stopped), so it has"
                    + " no certificate to renew.");
        }
        issue(app, true);
        return status(app);
    }

    /** Issues a certificate for {@code app}; unless {@code asked}, only when one is (still) due. */
    private void issue(AppName app, boolean asked) throws CertificateException, InterruptedException {
        synchronized (lock(app)) {
            List<String> wanted = routed.get(app);
            if (wanted == null || wanted.isEmpty()) {
                return;
            }
            CertificateDocument before = document(app);
            Instant now = clock.instant();
            Optional<CertificateIssuer> chosen = issuer();
            if (chosen.isEmpty()) {
                fail(app, before, wanted, configuredIssuer.isEmpty() ? "(none)" : configuredIssuer, noIssuer(), now);
                throw new CertificateException(noIssuer());
            }
            CertificateIssuer issuer = chosen.get();
            Path tls = tlsDirectory(app);
            String id = "cert-" + now.toEpochMilli() + "-" + UUID.randomUUID().toString().substring(0, 8);
            Path dir = tls.resolve(id);
            String why = reason(app, before, wanted, issuer, now);
            if (why == null && !asked) {
                return; // issued meanwhile (cert:renew)
            }
            LOG.info("Requesting a certificate for app {} ({}) from issuer {}: {}", app, String.join(", ", wanted),
                    issuer.name(), why == null ? "asked for" : why);
            try {
                Files.createDirectories(dir);
                IssuedCertificate issued = issuer.issue(wanted.stream().map(HostName::of)
                        .collect(Collectors.toCollection(LinkedHashSet::new)), dir);
                check(issued, dir);
                if (!exists(app)) {
                    Trees.delete(dir);
                    return;
                }
                CertificateDocument next = before.issued(issuer.name(), issuer.publiclyTrusted(), wanted,
                        dir.getFileName().toString(), issued.notAfter(), clock.instant());
                store.writePrivate(documentPath(app), next);
                removeOld(tls, next.directory(), before.directory());
                LOG.info("Certificate for app {} ({}) issued by {}, valid until {}", app, String.join(", ", wanted),
                        issuer.name(), issued.notAfter());
                post(Hop3Events.TLS_ISSUED, app, wanted, "Issued by " + issuer.name() + ", valid until " + issued.notAfter());
            } catch (CertificateException | IOException | RuntimeException e) {
                deleteQuietly(dir);
                if (Thread.currentThread().isInterrupted() || !active) {
                    // the platform stops: not the certificate's failure
                    throw new InterruptedException("Stopped while issuing the certificate of app " + app);
                }
                String reason = e instanceof CertificateException ? e.getMessage()
                        : e.getClass().getSimpleName() + ": " + e.getMessage();
                fail(app, before, wanted, issuer.name(), reason, now);
                throw e instanceof CertificateException c ? c : new CertificateException(reason, e);
            } catch (InterruptedException e) {
                deleteQuietly(dir);
                throw e;
            }
        }
        listeners.forEach(Certificates::runQuietly);
    }

    private void fail(AppName app, CertificateDocument before, List<String> wanted, String issuer, String reason,
                      Instant now) {
        Duration delay = RETRY_DELAYS.get(Math.min(before.failures(), RETRY_DELAYS.size() - 1));
        CertificateDocument failed = before.failed(reason, now, now.plus(delay));
        try {
            if (exists(app)) {
                store.writePrivate(documentPath(app), failed);
            }
        } catch (IOException e) {
            LOG.warn("Cannot save the certificate state of app {}: {}", app, e.getMessage());
        }
        LOG.error("Certificate for app {} ({}) could not be issued by {} (attempt {} failing since {}): {}."
                        + " {} Next attempt at {}.", app, String.join(", ", wanted), issuer, failed.failures(),
                failed.failedSince(), reason,
                before.hasCertificate() ? "The previous certificate, valid until " + before.notAfter() + ", keeps serving."
                        : "The app is served over plain HTTP meanwhile.", failed.nextAttempt());
        post(Hop3Events.TLS_FAILED, app, wanted, reason);
    }

    private static void check(IssuedCertificate issued, Path dir) throws CertificateException {
        if (issued == null || issued.notAfter() == null) {
            throw new CertificateException("The issuer returned no certificate.");
        }
        for (Path file : List.of(dir.resolve(CHAIN), dir.resolve(KEY))) {
            if (!Files.isRegularFile(file)) {
                throw new CertificateException("The issuer did not write " + file.getFileName() + " into " + dir + ".");
            }
        }
    }

    /** Keeps the directories of the certificate that serves and the one before; removes the others. */
    private static void removeOld(Path tls, String keep, String previous) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tls, p -> Files.isDirectory(p)
                && p.getFileName().toString().startsWith("cert-"))) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!name.equals(keep) && !name.equals(previous)) {
                    deleteQuietly(dir);
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot list old certificates in {}: {}", tls, e.getMessage());
        }
    }

    // ---- what users see -----------------------------------------------------------------------

    @Override
    public List<CertificateStatus> list() {
        List<CertificateStatus> all = new ArrayList<>();
        if (routed.containsKey(PLATFORM)) {
            all.add(status(PLATFORM));
        }
        for (cloud.hop3.api.app.AppInfo info : apps.list()) {
            try {
                all.add(status(info.name()));
            } catch (NoSuchElementException e) {
                // destroyed meanwhile
            }
        }
        return all;
    }

    /** The certificate of {@code app} as users see it. */
    @Override
    public CertificateStatus status(AppName app) {
        if (!exists(app)) {
            throw new NoSuchElementException("App '" + app + "' does not exist.");
        }
        CertificateDocument doc = document(app);
        Optional<CertificateIssuer> issuer = issuer();
        Optional<Instant> renewAfter = doc.hasCertificate()
                ? Optional.of(doc.notAfter().minus(issuer.map(CertificateIssuer::renewBefore).orElse(DEFAULT_RENEW_BEFORE)))
                : Optional.empty();
        return new CertificateStatus(app, Optional.ofNullable(doc.issuer()).filter(i -> doc.hasCertificate()),
                doc.hosts(), Optional.ofNullable(doc.notAfter()), renewAfter, routed.getOrDefault(app, List.of()),
                Optional.ofNullable(doc.failure()), Optional.ofNullable(doc.failedSince()), doc.failures(),
                Optional.ofNullable(doc.nextAttempt()), doc.trusted());
    }

    /** What a user is told when no certificate can be issued because no issuer is there. */
    public String noIssuer() {
        return configuredIssuer.isEmpty()
                ? "No certificate issuer is installed; install one (feature:install hop3-tls-selfsigned or hop3-tls-acme)."
                : "The certificate issuer '" + configuredIssuer + "' configured in " + CoreConfig.PID + " is not installed.";
    }

    /** The directory every route serves at {@link TlsSupport#CHALLENGE_PATH}. */
    public Path challengeDirectory() {
        return challenges;
    }

    // ---- helpers ------------------------------------------------------------------------------

    private CertificateDocument document(AppName app) {
        try {
            return store.read(documentPath(app), CertificateDocument.class).orElse(CertificateDocument.none());
        } catch (IOException e) {
            LOG.warn("Cannot read the certificate state of app {}: {}", app, e.getMessage());
            return CertificateDocument.none();
        }
    }

    private Path tlsDirectory(AppName app) {
        return PLATFORM.equals(app) ? home.resolve("tls").resolve("platform") : apps.directory(app).resolve("tls");
    }

    /** Whether {@code app} is an app or the platform's own host name. */
    private boolean exists(AppName app) {
        return PLATFORM.equals(app) || apps.find(app).isPresent();
    }

    private Path documentPath(AppName app) {
        return home.relativize(tlsDirectory(app).resolve(DOCUMENT));
    }

    private Object lock(AppName app) {
        return locks.computeIfAbsent(app, a -> new Object());
    }

    private void post(String topic, AppName app, List<String> hosts, String message) {
        EventAdmin admin = events;
        if (admin != null) {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put(Hop3Events.APP, app.value());
            props.put(Hop3Events.HOSTS, String.join(",", hosts));
            props.put(Hop3Events.MESSAGE, message);
            admin.postEvent(new Event(topic, ActorProperties.add(props)));
        }
    }

    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("A certificate listener failed: {}", e.toString());
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            if (Files.isDirectory(path)) {
                Trees.delete(path);
            } else {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("Cannot remove {}: {}", path, e.getMessage());
        }
    }

    private static String blankToEmpty(String s) {
        return s == null ? "" : s.strip();
    }
}
