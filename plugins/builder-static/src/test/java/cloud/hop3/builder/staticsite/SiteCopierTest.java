package cloud.hop3.builder.staticsite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SiteCopierTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0 bytes",
        "1, 1 byte",
        "1023, 1023 bytes",
        "1024, 1 KB",
        "49152, 48 KB",
        "1572864, 1.5 MB",
    })
    void formatsSizesForPeople(long bytes, String shown) {
        assertEquals(shown, SiteCopier.formatSize(bytes));
    }

    @ParameterizedTest
    @CsvSource({
        "1, 5, '1 file, 5 bytes'",
        "12, 49152, '12 files, 48 KB'",
    })
    void summarisesFilesAndSize(long files, long bytes, String summary) {
        assertEquals(summary, new SiteCopier.Copied(files, bytes).summary());
    }
}
