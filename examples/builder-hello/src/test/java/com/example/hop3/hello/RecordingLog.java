package com.example.hop3.hello;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import cloud.hop3.api.build.BuildLog;

/** Keeps what a builder logs, as the pusher would see it. */
final class RecordingLog implements BuildLog {

    final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void step(String text) {
        lines.add("-----> " + text);
    }

    @Override
    public void info(String text) {
        lines.add("       " + text);
    }

    @Override
    public void warn(String text) {
        lines.add(" !     " + text);
    }
}
