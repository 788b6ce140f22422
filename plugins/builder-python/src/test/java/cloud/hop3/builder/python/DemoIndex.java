package cloud.hop3.builder.python;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** A package index on disk (PEP 503 layout) serving hop3-demo 1.0, a one-module wheel, for offline pip installs. */
final class DemoIndex {

    private DemoIndex() {
    }

    /** Writes the index under {@code dir} and returns its root, for {@code PIP_INDEX_URL} (as a file URI) or {@code PIP_FIND_LINKS}. */
    static Path write(Path dir) throws IOException {
        Path project = Files.createDirectories(dir.resolve("index/simple/hop3-demo"));
        String wheel = "hop3_demo-1.0-py3-none-any.whl";
        try (OutputStream file = Files.newOutputStream(project.resolve(wheel));
             ZipOutputStream zip = new ZipOutputStream(file)) {
            entry(zip, "hop3_demo.py", "GREETING = 'hello from hop3_demo'\n");
            entry(zip, "hop3_demo-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: hop3-demo\nVersion: 1.0\n");
            entry(zip, "hop3_demo-1.0.dist-info/WHEEL",
                    "Wheel-Version: 1.0\nGenerator: hop3-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
            entry(zip, "hop3_demo-1.0.dist-info/RECORD", "hop3_demo.py,,\nhop3_demo-1.0.dist-info/METADATA,,\n"
                    + "hop3_demo-1.0.dist-info/WHEEL,,\nhop3_demo-1.0.dist-info/RECORD,,\n");
        }
        Files.writeString(project.resolve("index.html"), "<html><body><a href=\"" + wheel + "\">" + wheel
                + "</a></body></html>\n");
        return project.getParent();
    }

    private static void entry(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
