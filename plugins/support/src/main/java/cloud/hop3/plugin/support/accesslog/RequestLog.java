package cloud.hop3.plugin.support.accesslog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.metrics.RequestMeter;
import cloud.hop3.api.metrics.RequestMetrics;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.RouteTable;
import cloud.hop3.plugin.support.server.ServerProcesses;

/**
 * The requests an external proxy server (nginx, Caddy, HAProxy) logs, counted by the platform's
 * metrics: a {@link LogTailer} follows the server's access log on a thread of its own, each line is
 * parsed by the plugin's {@link Format}, the request's host is looked up in the route table the
 * proxy serves, and the request is recorded on that app's meter of {@link RequestMetrics#WEB}
 * requests. Lines of unknown hosts, lines that are not requests, and every line while no metrics
 * service is there, are read and dropped.
 * <p>
 * The log is the plugin's own: a file (or a named pipe, for a server that cannot append to a file)
 * readable by its owner only, kept small by the tailer. Nothing here blocks the proxy's apply: the
 * table and the metrics service are handed over in volatile fields, and the thread reads the log
 * every {@value #POLL_MILLIS} ms.
 * <p>
 * <b>Callers.</b> The plugin's proxy: {@link #open} before the server is started or loaded,
 * {@link #routes} once it serves a table, {@link #stop} when it retires and {@link #close} when the
 * component goes; the plugin's DS bind methods call {@link #metrics} and {@link #withoutMetrics}.
 * All are thread-safe.
 */
public final class RequestLog implements AutoCloseable {

    /** Reads one line of the server's access log. */
    @FunctionalInterface
    public interface Format {

        /** The request a line tells of, or null when the line is not a request's. */
        LoggedRequest parse(String line);
    }

    /** How often the log is read. */
    public static final long POLL_MILLIS = 200;
    /** How much of a log file is read before it is truncated. */
    public static final long MAX_BYTES = 4L * 1024 * 1024;
    private static final int MAX_LINE = 8 * 1024;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Logger LOG = LoggerFactory.getLogger(RequestLog.class);

    private record Target(Map<String, AppName> hosts, RequestMetrics metrics) {
    }

    private final String proxy;
    private final Path file;
    private final boolean pipe;
    private final Format format;
    private final long maxBytes;
    private volatile Map<String, AppName> hosts = Map.of();
    private volatile RequestMetrics metrics;
    private ScheduledExecutorService reader;
    private LogTailer tailer;
    private boolean closed;
    /** The meters of the last target the reader saw; used by the reader thread only. */
    private final Map<AppName, RequestMeter> meters = new HashMap<>();
    private Target seen = new Target(Map.of(), null);
    private String lastProblem;

    /**
     * @param proxy  the proxy's name, for the log and the reader thread
     * @param file   the access log, in the plugin's directory
     * @param pipe   whether the log is a named pipe rather than a file (for a server that writes
     *               without append mode)
     * @param format reads a line
     */
    public RequestLog(String proxy, Path file, boolean pipe, Format format) {
        this(proxy, file, pipe, format, MAX_BYTES);
    }

    /** As above, with the size a log file is truncated at. */
    public RequestLog(String proxy, Path file, boolean pipe, Format format, long maxBytes) {
        this.proxy = proxy;
        this.file = file.toAbsolutePath().normalize();
        this.pipe = pipe;
        this.format = format;
        this.maxBytes = maxBytes;
    }

    /** The access log the server is to write. */
    public Path file() {
        return file;
    }

    /**
     * Creates the log owner-only when it is missing (a named pipe with {@code mkfifo}), makes an
     * existing one owner-only, opens it and starts reading it; nothing once started. A problem is
     * logged, not thrown: the proxy serves without its requests counted.
     *
     * @return whether the log is open (a named pipe may then be opened for writing without waiting)
     */
    public synchronized boolean open() {
        if (closed) {
            return false;
        }
        if (reader != null) {
            return true;
        }
        try {
            prepare();
            LogTailer opened = new LogTailer(file, maxBytes, MAX_LINE);
            opened.open();
            tailer = opened;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Proxy {}: its access log {} cannot be read, so its requests are not counted: {}", proxy, file,
                    e.getMessage());
            return false;
        }
        reader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "hop3-" + proxy + "-access-log");
            thread.setDaemon(true);
            return thread;
        });
        reader.scheduleWithFixedDelay(this::pollQuietly, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        return true;
    }

    /** Whether the log is open and read: the server may be told to write it. */
    public synchronized boolean isOpen() {
        return reader != null;
    }

    private void prepare() throws IOException {
        Files.createDirectories(file.getParent());
        boolean exists = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        if (exists) {
            BasicFileAttributes found = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (pipe ? !found.isOther() : !found.isRegularFile()) {
                Files.delete(file); // a file where the pipe belongs, or a link: never followed
                exists = false;
            }
        }
        if (!exists && pipe) {
            mkfifo();
        } else if (!exists) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        Files.setPosixFilePermissions(file, OWNER_ONLY);
    }

    private void mkfifo() throws IOException {
        List<String> command = List.of("mkfifo", "-m", "600", file.toString());
        try {
            ServerProcesses.Result made = ServerProcesses.run(command, Duration.ofSeconds(10));
            if (made.exit() != 0) {
                throw new IOException("mkfifo " + file + " failed: " + made.output().strip());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("mkfifo " + file + " did not finish", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while creating " + file, e);
        }
    }

    /** The table the proxy serves now: its requests are counted for the apps of its hosts. */
    public void routes(RouteTable table) {
        Map<String, AppName> byHost = new HashMap<>();
        for (Route route : table.routes()) {
            for (HostName host : route.hosts()) {
                byHost.putIfAbsent(host.value(), route.app());
            }
        }
        hosts = Map.copyOf(byHost);
    }

    /** The metrics service, bound. */
    public synchronized void metrics(RequestMetrics service) {
        metrics = service;
    }

    /** The metrics service, unbound: requests are no longer counted unless another is bound. */
    public synchronized void withoutMetrics(RequestMetrics service) {
        if (metrics == service) {
            metrics = null;
        }
    }

    private void pollQuietly() {
        try {
            poll();
            lastProblem = null;
        } catch (IOException | RuntimeException e) {
            String problem = String.valueOf(e.getMessage());
            if (!problem.equals(lastProblem)) {
                LOG.warn("Proxy {}: reading its access log {} failed: {}", proxy, file, problem);
                lastProblem = problem;
            }
        }
    }

    /** Reads what the log gained and records its requests; returns how many were recorded. On the reader thread. */
    private int poll() throws IOException {
        LogTailer current;
        synchronized (this) {
            current = tailer;
        }
        if (current == null) {
            return 0;
        }
        Target target = new Target(hosts, metrics);
        if (target.hosts() != seen.hosts() || target.metrics() != seen.metrics()) {
            meters.clear(); // only the apps served now keep a meter
            seen = target;
        }
        int[] recorded = {0};
        current.poll(line -> {
            if (target.metrics() == null) {
                return;
            }
            LoggedRequest request = format.parse(line);
            AppName app = request == null ? null : target.hosts().get(request.host());
            if (app != null) {
                meters.computeIfAbsent(app, a -> target.metrics().meter(a, RequestMetrics.WEB))
                        .record(request.status(), request.nanos());
                recorded[0]++;
            }
        });
        return recorded[0];
    }

    /**
     * Stops reading, after a last read of what the log holds; {@link #open} starts again. For a
     * proxy that retires: its server no longer serves.
     */
    public void stop() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            stopping = reader;
            reader = null;
        }
        if (stopping != null) {
            stopping.shutdown();
            try {
                stopping.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (tailer != null) {
                pollQuietly();
                try {
                    tailer.close();
                } catch (IOException e) {
                    LOG.debug("Closing {}: {}", file, e.getMessage());
                }
                tailer = null;
            }
        }
    }

    /** Stops reading for good: the plugin's component goes. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        stop();
    }
}
