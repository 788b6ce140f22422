package cloud.hop3.core.impl.platform;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import javax.management.JMException;
import javax.management.ObjectName;

import org.apache.karaf.features.BootFinished;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back, once, the heap that the boot leaves behind, where the JVM is sized for a small
 * server: {@code HOP3_JVM_PROFILE=small} sets the system property {@value #PROPERTY}, the share
 * of free heap (in per cent) to keep from then on.
 * <p>
 * A boot leaves some 10 MB in the serial collector's old generation that the platform no longer
 * needs, most of it held by soft references (the JDK's reflection data among them), which a full
 * collection clears once they have gone unused for a while (a second per free megabyte of heap).
 * The old generation grows to hold them and shrinks only after a full collection, which an idle
 * platform never makes: it stayed at some 40 MB where 28 MB live. Two collections, {@link #SETTLE}
 * after Karaf has installed the boot features and {@link #BETWEEN} apart (the first alone leaves
 * the soft references), let the collector shrink the old generation to what lives, plus the
 * property's share ({@code MaxHeapFreeRatio}, lowered only now: during the boot, a low ratio had
 * the collector shrink the heap it then had to grow again, twice the full collections), and give
 * the pages back to the system. Without the property, nothing happens.
 */
@Component(immediate = true)
public class HeapAfterBoot {

    /** The system property that asks for the collection: the free heap to keep after it, in per cent. */
    public static final String PROPERTY = "hop3.heap.maxFreeAfterBoot";

    /** How long after the boot features are installed. */
    static final Duration SETTLE = Duration.ofSeconds(20);

    /** Between the two collections. */
    static final Duration BETWEEN = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(HeapAfterBoot.class);

    private Thread waiting;

    /**
     * Karaf registers {@link BootFinished} once the boot features are installed. (Optional: no
     * bundle declares that service as a capability, so a mandatory reference would keep the
     * features from resolving.)
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "bootUndone")
    synchronized void bootFinished(BootFinished boot) {
        if (waiting == null && System.getProperty(PROPERTY) != null) {
            waiting = new Thread(HeapAfterBoot::collectWhenSettled, "hop3-heap-after-boot");
            waiting.setDaemon(true);
            waiting.start();
        }
    }

    void bootUndone(BootFinished boot) {
        // once is enough: a collection already made is not made again
    }

    @Deactivate
    synchronized void deactivate() {
        if (waiting != null) {
            waiting.interrupt();
        }
    }

    private static void collectWhenSettled() {
        Runtime runtime = Runtime.getRuntime();
        long before;
        try {
            Thread.sleep(SETTLE.toMillis());
            keepFree(System.getProperty(PROPERTY));
            before = runtime.totalMemory();
            System.gc();
            Thread.sleep(BETWEEN.toMillis());
        } catch (InterruptedException e) {
            return;
        }
        System.gc();
        long after = runtime.totalMemory();
        LOG.info("Heap after the boot: {} MB committed, of it {} MB in use (was {} MB committed)",
                mb(after), mb(after - runtime.freeMemory()), mb(before));
    }

    /** Sets the JVM's MaxHeapFreeRatio, a flag the JVM lets change while it runs. */
    private static void keepFree(String percent) {
        try {
            int value = Integer.parseInt(percent.trim());
            ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=HotSpotDiagnostic"), "setVMOption",
                    new Object[] {"MaxHeapFreeRatio", Integer.toString(value)},
                    new String[] {String.class.getName(), String.class.getName()});
        } catch (JMException | RuntimeException e) {
            LOG.warn("The heap keeps its free share ({}={}): {}", PROPERTY, percent, e.toString());
        }
    }

    private static long mb(long bytes) {
        return Math.round(bytes / (1024.0 * 1024.0));
    }
}
