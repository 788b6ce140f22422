package cloud.hop3.plugin.support.build;

import java.util.List;

import cloud.hop3.api.build.BuildException;

/**
 * What a build tool's failure says to the user: the reasons picked out of the tool's output, or
 * the package to install when the tool could not start.
 */
public final class ToolFailure {

    private ToolFailure() {
    }

    /**
     * {@code failure} with the reasons the tool gave: "{@code what}: reason; reason", or the failure
     * as it is when the output gave none.
     *
     * @param what what the tool could not do ("npm ci could not install the dependencies of package.json")
     * @param reasons the reasons picked out of {@link BuildException#output() the tool's output}
     */
    public static BuildException explained(BuildException failure, String what, List<String> reasons) {
        if (reasons.isEmpty()) {
            return failure;
        }
        return new BuildException(what + ": " + String.join("; ", reasons), failure);
    }

    /**
     * {@code failure}, saying which Debian package installs {@code tool} when the tool could not
     * start at all; else the failure as it is.
     */
    public static BuildException notInstalled(BuildException failure, String tool, String debianPackage) {
        if (failure.getMessage().startsWith("Could not start")) {
            return new BuildException(tool + " is not installed on this server (Debian: apt-get install "
                    + debianPackage + "). " + failure.getMessage(), failure);
        }
        return failure;
    }
}
