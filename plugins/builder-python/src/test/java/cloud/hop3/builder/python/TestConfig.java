package cloud.hop3.builder.python;

import java.lang.annotation.Annotation;

/** The component's configuration as a test writes it; DS builds the real one from the PID. */
record TestConfig(int priority, String python, String path, int venvTimeoutSeconds, int installTimeoutMinutes,
                  String indexUrl) implements PythonBuilder.Config {

    static TestConfig defaults() {
        return new TestConfig(100, "python3", "", 120, 15, "");
    }

    TestConfig withPython(String interpreter) {
        return new TestConfig(priority, interpreter, path, venvTimeoutSeconds, installTimeoutMinutes, indexUrl);
    }

    TestConfig withIndexUrl(String url) {
        return new TestConfig(priority, python, path, venvTimeoutSeconds, installTimeoutMinutes, url);
    }

    TestConfig withPriority(int value) {
        return new TestConfig(value, python, path, venvTimeoutSeconds, installTimeoutMinutes, indexUrl);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return PythonBuilder.Config.class;
    }
}
