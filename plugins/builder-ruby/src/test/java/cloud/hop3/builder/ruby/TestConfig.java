package cloud.hop3.builder.ruby;

import java.lang.annotation.Annotation;

/** The component's configuration as a test writes it; DS builds the real one from the PID. */
record TestConfig(int priority, String ruby, String bundle, String path, int installTimeoutMinutes,
                  boolean downloadGems) implements RubyBuilder.Config {

    static TestConfig defaults() {
        return new TestConfig(100, "ruby", "bundle", "", 15, false);
    }

    TestConfig withPriority(int value) {
        return new TestConfig(value, ruby, bundle, path, installTimeoutMinutes, downloadGems);
    }

    TestConfig withRuby(String value) {
        return new TestConfig(priority, value, bundle, path, installTimeoutMinutes, downloadGems);
    }

    TestConfig withBundle(String value) {
        return new TestConfig(priority, ruby, value, path, installTimeoutMinutes, downloadGems);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return RubyBuilder.Config.class;
    }
}
