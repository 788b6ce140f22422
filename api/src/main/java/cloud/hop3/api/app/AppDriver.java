package cloud.hop3.api.app;

/**
 * The process driver of an app, as {@code app:driver} and {@code app:info} show it.
 *
 * @param name          the driver's name ({@code local}, {@code kubernetes}); empty when no driver
 *                      is installed and none is chosen for the app
 * @param chosen        whether it was chosen for this app ({@code app:driver} or {@code driver} in
 *                      hop3.toml), rather than being the platform's default
 * @param installed     whether a driver of that name is installed now
 * @param wholeReleases whether it puts whole releases into service (a
 *                      {@link cloud.hop3.api.process.ReleaseDriver}, such as a cluster) rather than
 *                      starting processes one by one
 * @param serving       the name of the driver that put the app's current release into service; empty
 *                      when the app has no release, or it is not known
 * @since 2.2
 */
public record AppDriver(String name, boolean chosen, boolean installed, boolean wholeReleases, String serving) {

    public AppDriver {
        name = name == null ? "" : name;
        serving = serving == null ? "" : serving;
    }
}
