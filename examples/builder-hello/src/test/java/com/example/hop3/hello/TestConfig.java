package com.example.hop3.hello;

import java.lang.annotation.Annotation;

/** The component's configuration as a test writes it; in the platform, DS makes it from the PID. */
record TestConfig(int priority, String greeting, String python, int checkTimeoutSeconds)
        implements HelloBuilder.Config {

    static TestConfig defaults() {
        return new TestConfig(100, "Hello", "python3", 30);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return HelloBuilder.Config.class;
    }
}
