package cloud.hop3.tls.selfsigned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two JVMs (say, the platform and a second one started by mistake on the same HOP3_HOME) making the CA at once. */
class CrossProcessCaTest {

    @TempDir
    Path directory;

    @Test
    void twoProcessesCreatingTheCaAtOnceAgreeOnOne() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                        CaProcess.class.getName(), directory.toString())
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start());
            }
            List<BufferedReader> outputs = new ArrayList<>();
            for (Process process : processes) {
                BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
                assertEquals("ready", output.readLine());
                outputs.add(output);
            }
            for (Process process : processes) {
                OutputStream in = process.getOutputStream();
                in.write('\n');
                in.flush();
            }
            List<String> printed = new ArrayList<>();
            for (int i = 0; i < processes.size(); i++) {
                StringBuilder text = new StringBuilder();
                outputs.get(i).lines().forEach(line -> text.append(line).append('\n'));
                assertTrue(processes.get(i).waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, processes.get(i).exitValue());
                printed.add(text.toString());
            }
            String onDisk = Files.readString(directory.resolve("ca.pem"));
            assertTrue(onDisk.startsWith("-----BEGIN CERTIFICATE-----"));
            assertEquals(List.of(onDisk, onDisk), printed);
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
    }
}
