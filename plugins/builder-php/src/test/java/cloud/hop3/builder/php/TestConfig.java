package cloud.hop3.builder.php;

import java.lang.annotation.Annotation;

/** The component's configuration as a test writes it; DS builds the real one from the PID. */
record TestConfig(int priority, int indexPriority, String php, String composer, String path,
                  int installTimeoutMinutes) implements PhpBuilder.Config {

    static TestConfig defaults() {
        return new TestConfig(110, 60, "php", "composer", "", 15);
    }

    TestConfig withPhp(String value) {
        return new TestConfig(priority, indexPriority, value, composer, path, installTimeoutMinutes);
    }

    TestConfig withComposer(String value) {
        return new TestConfig(priority, indexPriority, php, value, path, installTimeoutMinutes);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return PhpBuilder.Config.class;
    }
}
