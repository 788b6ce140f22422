package cloud.hop3.builder.ruby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.build.BuildException;

class BundlerErrorsTest {

    @Test
    void aMissingGemIsNamedEvenWhenBundlerWrapsTheLine() {
        BuildException e = explain(List.of("Resolving dependencies...",
                "Could not find gem 'hop3-no-such-gem (~> 9.9)' in cached gems or installed", "locally."), false);

        assertTrue(e.getMessage().startsWith("The gem hop3-no-such-gem (~> 9.9) is not on this server. Gems come only"
                + " from the server"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Add it there, or change the Gemfile (and Gemfile.lock) to a version that is"
                + " available."), e.getMessage());
        assertEquals("The gem rack-9.9.9 is neither on this server nor in the Gemfile's sources. Add it there, or change"
                + " the Gemfile (and Gemfile.lock) to a version that is available.",
                explain(List.of("Could not find rack-9.9.9 in any of the sources"), true).getMessage());
    }

    @Test
    void otherReasonsAreBundlersOwnOnOneLine() {
        assertEquals("bundle install failed: Your Ruby version is 3.1.2, but your Gemfile specified 3.3.0",
                explain(List.of("Using bundler 2.3.15", "Your Ruby version is 3.1.2, but your Gemfile specified 3.3.0"),
                        false).getMessage());
        BuildException nothing = new BuildException("`bundle install` failed with exit status 5", List.of("Using rack 2.2.22"));
        assertSame(nothing, BundlerErrors.explain(nothing, false));
    }

    @Test
    void aStaleLockfileSaysWhatChanged() {
        assertEquals("Gemfile.lock does not match the Gemfile: run bundle install (or bundle lock) where you develop, and"
                + " commit Gemfile.lock. You have added to the Gemfile: * tilt You have deleted from the Gemfile: * rack",
                explain(List.of("You are trying to install in deployment mode after changing", "your Gemfile. Run `bundle"
                        + " install` elsewhere and add the", "The dependencies in your gemfile changed",
                        "You have added to the Gemfile:", "* tilt", "You have deleted from the Gemfile:", "* rack"),
                        false).getMessage());
    }

    @Test
    void installedGemsAreCounted() {
        InstalledGems gems = new InstalledGems(new cloud.hop3.plugin.testkit.RecordingBuildLog());
        List.of("Resolving dependencies...", "Using bundler 2.3.15", "Installing hop3greet 0.1.0", "Using rack 2.2.22")
                .forEach(gems::info);
        assertEquals("Installed 1 gem into the app's gem directory, kept for the next builds; 2 were already there",
                gems.summary());
    }

    static BuildException explain(List<String> output, boolean downloads) {
        return BundlerErrors.explain(new BuildException("`bundle install --local --no-cache` failed with exit status 7",
                output), downloads);
    }
}
