package cloud.hop3.plugin.support.server;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import cloud.hop3.api.platform.Platform;

/**
 * The IP addresses a proxy listens on, as one rule for core and every proxy: a comma-separated
 * list of IP literals (never host names, so that no lookup decides where the platform listens).
 * {@code 0.0.0.0} is every IPv4 address and only those; {@code ::} is every IPv6 address and,
 * where the system has dual-stack sockets (Linux by default), every IPv4 address too, so it
 * stands alone. A wildcard cannot be combined with another address of its family: the second
 * listener would fail to bind. Stateless.
 */
public final class BindAddresses {

    /** Where proxies listen unless configured otherwise: every IPv4 address. */
    public static final String DEFAULT = "0.0.0.0";

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private BindAddresses() {
    }

    /**
     * The addresses of a proxy: its own setting when it has one, else the platform's.
     *
     * @param configured the proxy's {@code bindAddress} setting; blank for the platform's
     * @param source     where {@code configured} comes from, for the error message
     * @throws IllegalArgumentException when {@code configured} is not a valid list
     */
    public static List<InetAddress> of(String configured, String source, Platform platform) {
        if (configured == null || configured.isBlank()) {
            return platform.bindAddresses();
        }
        return parse(configured, source);
    }

    /**
     * Parses a comma-separated list of IP literals; IPv6 ones may be written in brackets.
     *
     * @param source where the list comes from, for the error message
     * @throws IllegalArgumentException when an entry is not an IP literal, appears twice, or a
     *                                  wildcard is combined with an address it already covers
     */
    public static List<InetAddress> parse(String list, String source) {
        List<InetAddress> addresses = new ArrayList<>();
        for (String entry : list.split(",")) {
            String literal = entry.strip();
            if (literal.startsWith("[") && literal.endsWith("]")) {
                literal = literal.substring(1, literal.length() - 1);
            }
            if (!IPV4.matcher(literal).matches() && !IPV6.matcher(literal).matches()) {
                throw new IllegalArgumentException(problem(list, source, "'" + printable(entry.strip())
                        + "' is not an IP address (such as 0.0.0.0, 127.0.0.1, :: or ::1)"));
            }
            InetAddress address;
            try {
                address = InetAddress.getByName(literal); // a literal: no lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(problem(list, source, "'" + literal + "' is not an IP address"), e);
            }
            if (addresses.contains(address)) {
                throw new IllegalArgumentException(problem(list, source, "'" + literal + "' is listed twice"));
            }
            addresses.add(address);
        }
        for (InetAddress address : addresses) {
            if (address.isAnyLocalAddress() && addresses.size() > 1 && (address instanceof Inet6Address
                    || addresses.stream().filter(a -> a instanceof Inet4Address).count() > 1)) {
                throw new IllegalArgumentException(problem(list, source, text(address)
                        + " already covers the other addresses of the list: list it alone"
                        + (address instanceof Inet6Address ? " (:: is IPv6 and IPv4 where the system allows)" : "")));
            }
        }
        return List.copyOf(addresses);
    }

    /** {@code 0.0.0.0}, {@code ::}, {@code ::1}: the address as written in configuration. */
    public static String text(InetAddress address) {
        if (address instanceof Inet6Address) {
            return compact(address.getHostAddress());
        }
        return address.getHostAddress();
    }

    /** The host part of a listen address: IPv6 in brackets ({@code [::1]}), IPv4 as is. */
    public static String host(InetAddress address) {
        return address instanceof Inet6Address ? "[" + text(address) + "]" : text(address);
    }

    /** Whether the address is {@code ::}, which takes IPv4 connections too on a dual-stack system. */
    public static boolean isDualStack(InetAddress address) {
        return address instanceof Inet6Address && address.isAnyLocalAddress();
    }

    /** The list as configured: {@code 127.0.0.1, ::1}. */
    public static String text(List<InetAddress> addresses) {
        return String.join(", ", addresses.stream().map(BindAddresses::text).toList());
    }

    /** The shortest form of an IPv6 literal: the longest run of zero groups as {@code ::}. */
    private static String compact(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLength) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestLength < 2) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    private static String problem(String list, String source, String reason) {
        return "The bind addresses '" + printable(list) + "' in " + source + " are not valid: " + reason + ".";
    }

    private static String printable(String text) {
        return text.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
