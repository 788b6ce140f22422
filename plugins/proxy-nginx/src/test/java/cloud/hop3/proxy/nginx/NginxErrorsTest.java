package cloud.hop3.proxy.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class NginxErrorsTest {

    @Test
    void keepsTheErrorLinesOfACheck() {
        String output = """
                nginx: [emerg] cannot load certificate "/srv/x.crt": BIO_new_file() failed (SSL: error:80000002:system library::No such file or directory)
                nginx: configuration file /srv/nginx.conf.next test failed
                """;
        assertEquals(List.of("[emerg] cannot load certificate \"/srv/x.crt\": BIO_new_file() failed"
                + " (SSL: error:80000002:system library::No such file or directory)"), NginxErrors.lines(output));
    }

    @Test
    void stripsTheTimeStampAndPidOfLogLines() {
        String log = """
                2026/11/26 00:40:01 [notice] 12#12: signal process started
                2026/11/26 00:40:01 [emerg] 1234#1234: bind() to 127.0.0.1:8443 failed (98: Address already in use)
                """;
        assertEquals(List.of("[emerg] bind() to 127.0.0.1:8443 failed (98: Address already in use)"), NginxErrors.lines(log));
    }

    @Test
    void fallsBackToWhateverWasPrinted() {
        assertEquals(List.of("something odd"), NginxErrors.lines("nginx: something odd\n"));
        assertEquals("none", NginxErrors.message("", "none"));
    }
}
