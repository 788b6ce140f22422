package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.event.Hop3Events;
import cloud.hop3.api.process.ProcessState;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.isolation.AppUsers;

/** The driver as DS drives it: activated from configuration, deactivated, activated again. */
class LocalProcessDriverComponentTest extends DriverTestSupport {

    @Test
    void deactivationLeavesProcessesRunningAndTheNextActivationAdoptsThem() throws Exception {
        String arg = "4001." + ProcessHandle.current().pid();
        LocalProcessDriver first = new LocalProcessDriver(AppUsers.none(home));
        drivers.add(first);
        first.activate(core(home.toString()), config(1234, 3, 1));
        assertEquals("local", first.name());
        ProcessStatus s = first.start(launch("shop", "worker", 1, "exec sleep " + arg));
        // the launcher's shell execs the command a moment after start returns
        await("the process to run its command", Duration.ofSeconds(5), () -> sleeps(arg) == 1);

        first.deactivate();
        assertEquals(1, sleeps(arg));
        LocalProcessDriver second = new LocalProcessDriver(AppUsers.none(home));
        drivers.add(second);
        second.activate(core(home.toString()), config(1234, 3, 1));

        assertEquals(List.of(s.id()), second.status(AppName.of("shop")).stream().map(ProcessStatus::id).toList());
        await("running", Duration.ofSeconds(5), () -> inState(second, "shop", ProcessState.RUNNING));
        assertEquals(1, sleeps(arg));
    }

    @Test
    void aCrashLoopIsPublishedAsAnEvent() throws Exception {
        List<Event> posted = new CopyOnWriteArrayList<>();
        LocalProcessDriver driver = driver(DriverOptions.DEFAULT.withRestartPolicy(new RestartPolicy(Duration.ofMillis(10),
                Duration.ofSeconds(1), Duration.ofSeconds(60), 2, Duration.ofSeconds(60))));
        driver.setEvents(new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                posted.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                posted.add(event);
            }
        });

        driver.start(launch("shop", "worker", 1, "exit 1"));

        await("an event", Duration.ofSeconds(5), () -> !posted.isEmpty());
        Event e = posted.get(0);
        assertEquals(Hop3Events.APP_CRASHED, e.getTopic());
        assertEquals("shop", e.getProperty(Hop3Events.APP));
        assertEquals(1, e.getProperty(Hop3Events.RELEASE));
        assertTrue(((String) e.getProperty(Hop3Events.MESSAGE)).startsWith("worker.1 crashed"));
    }

    private static CoreConfig core(String home) {
        return new CoreConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return CoreConfig.class;
            }

            @Override
            public String home() {
                return home;
            }

            @Override
            public String domain() {
                return "example.com";
            }

            @Override
            public String proxy() {
                return "";
            }

            @Override
            public String socket_holder() {
                return "";
            }

            @Override
            public String platform_host() {
                return "-";
            }

            @Override
            public int api_port() {
                return 0;
            }

            @Override
            public String publicUrl() {
                return "";
            }

            @Override
            public int release_deadline_seconds() {
                return 600;
            }

            @Override
            public String driver() {
                return "";
            }

            @Override
            public String issuer() {
                return "";
            }

            @Override
            public String backup_store() {
                return "";
            }

            @Override
            public int http_port() {
                return 0;
            }

            @Override
            public String app_memory() {
                return "";
            }

            @Override
            public String app_cpu() {
                return "";
            }

            @Override
            public String app_processes() {
                return "";
            }

            @Override
            public String app_files() {
                return "";
            }

            @Override
            public boolean app_ports_loopback_only() {
                return false;
            }

            @Override
            public int audit_keepDays() {
                return 365;
            }

            @Override
            public int https_port() {
                return 0;
            }

            @Override
            public int git_ssh_port() {
                return 0;
            }

            @Override
            public String git_ssh_host() {
                return "";
            }

            @Override
            public String bind_addresses() {
                return "";
            }

            @Override
            public int build_timeout_minutes() {
                return 15;
            }
        };
    }

    private static LocalProcessDriver.Config config(long maxBytes, int keep, long seconds) {
        return new LocalProcessDriver.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LocalProcessDriver.Config.class;
            }

            @Override
            public long process_log_max_bytes() {
                return maxBytes;
            }

            @Override
            public int process_log_keep() {
                return keep;
            }

            @Override
            public long process_log_check_seconds() {
                return seconds;
            }
        };
    }
}
