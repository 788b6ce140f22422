package cloud.hop3.builder.ruby;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cloud.hop3.api.build.BuildException;

/**
 * Turns a failed {@code bundle install} into a message for the pusher, from Bundler's last lines
 * of output: the gem it could not find, by name, and what to do about it; else Bundler's own
 * reason, without its progress lines, on one line (Bundler wraps long lines).
 */
final class BundlerErrors {

    static final int MAX_LINES = 6;

    /** {@code Could not find gem 'sinatra-contrib (~> 3.0)' in cached gems or installed locally.} */
    private static final Pattern MISSING_GEM = Pattern.compile("Could not find gem '([^']+)'");
    /** {@code Could not find rack-3.0.8 in locally installed gems} (a locked version). */
    private static final Pattern MISSING_VERSION = Pattern.compile(
            "Could not find ([A-Za-z0-9_.-]+-[0-9][A-Za-z0-9_.-]*?)(?:-x86_64-linux|-ruby)? in (?:locally installed gems"
                    + "|cached gems|any of the (?:gem )?sources)");
    /** How a frozen bundle differs from the Gemfile: {@code You have added to the Gemfile:}, {@code * tilt}. */
    private static final Pattern CHANGE = Pattern.compile("^(You have (added to|deleted from|changed in) the Gemfile:|\\* .*)$");
    private static final Pattern PROGRESS = Pattern.compile("^(Using|Installing|Fetching|Resolving|Bundle complete"
            + "|Use `bundle info|Bundler \\d|Gems in the groups).*");

    private BundlerErrors() {
    }

    /**
     * @param failure       what running {@code bundle install} threw
     * @param downloadsGems whether Bundler could download gems from the Gemfile's sources
     */
    static BuildException explain(BuildException failure, boolean downloadsGems) {
        String joined = String.join(" ", failure.output()).replaceAll("\\s+", " ");
        String gem = null;
        Matcher missing = MISSING_GEM.matcher(joined);
        if (missing.find()) {
            gem = missing.group(1);
        } else {
            Matcher version = MISSING_VERSION.matcher(joined);
            if (version.find()) {
                gem = version.group(1);
            }
        }
        if (gem != null) {
            String where = downloadsGems
                    ? "The gem " + gem + " is neither on this server nor in the Gemfile's sources."
                    : "The gem " + gem + " is not on this server. Gems come only from the server (Debian packages such as"
                    + " ruby-sinatra, or gem install by the operator) and from the app's vendor/cache (bundle cache,"
                    + " then commit vendor/cache): nothing is downloaded.";
            return new BuildException(where + " Add it there, or change the Gemfile (and Gemfile.lock) to a version"
                    + " that is available.", failure);
        }
        if (joined.contains("deployment mode after changing")) {
            List<String> changes = new ArrayList<>();
            for (String line : failure.output()) {
                if (CHANGE.matcher(line.strip()).matches()) {
                    changes.add(line.strip());
                }
            }
            return new BuildException("Gemfile.lock does not match the Gemfile: run bundle install (or bundle lock) where"
                    + " you develop, and commit Gemfile.lock." + (changes.isEmpty() ? "" : " " + String.join(" ", changes)),
                    failure);
        }
        List<String> reasons = new ArrayList<>();
        for (String line : failure.output()) {
            if (!line.isBlank() && !PROGRESS.matcher(line.strip()).matches() && reasons.size() < MAX_LINES) {
                reasons.add(line.strip());
            }
        }
        if (reasons.isEmpty()) {
            return failure;
        }
        return new BuildException("bundle install failed: " + String.join(" ", reasons), failure);
    }
}
