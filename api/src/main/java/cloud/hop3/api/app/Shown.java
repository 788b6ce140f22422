package cloud.hop3.api.app;

/** How the value types quote a rejected input in their messages: printable and short. */
final class Shown {

    private Shown() {
    }

    static String of(String input, int max) {
        String shown = input.length() > max ? input.substring(0, max) + "..." : input;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
