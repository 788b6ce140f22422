package cloud.hop3.api.app;

import cloud.hop3.api.process.ResourceLimits;

/**
 * An app's resource limits and how this platform holds its processes to them, as
 * {@code app:limits} and {@code app:info} show them.
 *
 * @param effective   what each process of the current release runs with: {@link #set} over
 *                    {@link #declared} over {@link #defaults}
 * @param set         what {@code app:limits} set
 * @param declared    what the current release's hop3.toml declares ({@code [run] memory}, ...)
 * @param defaults    the platform's defaults
 * @param enforcement which mechanism bounds what ("cgroup v1 (memory, cpu, pids); open files by
 *                    rlimit"), or why nothing does
 * @param appPorts    whether app ports answer on loopback only ("loopback only (nftables)") or
 *                    are reachable from the network, and why
 */
public record AppLimits(ResourceLimits effective, ResourceLimits set, ResourceLimits declared, ResourceLimits defaults,
                        String enforcement, String appPorts) {
}
