package cloud.hop3.proxy.caddy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CaddyErrorsTest {

    @Test
    void keepsTheErrorLinesOfCaddysOutput() {
        String output = """
                {"level":"info","ts":1.0,"msg":"using provided configuration","config_file":"c.json"}
                {"level":"info","ts":1.1,"logger":"tls.cache.maintenance","msg":"started background certificate maintenance"}
                Error: loading http app module: provision http: getting tls app: loading certificates: open /c/k.pem: no such file or directory
                """;

        assertEquals("loading http app module: provision http: getting tls app: loading certificates: open /c/k.pem:"
                + " no such file or directory", CaddyErrors.fromOutput(output));
    }

    @Test
    void keepsErrorLevelLogLinesAndElseTheLastLines() {
        assertEquals("server shutdown: context canceled", CaddyErrors.fromOutput(
                "{\"level\":\"error\",\"msg\":\"server shutdown\",\"error\":\"context canceled\"}\n"));
        assertEquals("b\nc\nd", CaddyErrors.fromOutput("a\nb\nc\nd\n"));
        assertEquals("(caddy printed nothing)", CaddyErrors.fromOutput(""));
    }

    @Test
    void readsTheAdminApisErrorDocument() {
        assertEquals("loading config: bad thing", CaddyErrors.fromAdmin("{\"error\":\"loading config: bad thing\"}\n"));
        assertEquals("plain text", CaddyErrors.fromAdmin("plain text\n"));
    }
}
