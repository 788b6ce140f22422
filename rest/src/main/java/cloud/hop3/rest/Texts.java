package cloud.hop3.rest;

/** How the API quotes what a client sent in its messages: printable and short. */
final class Texts {

    private Texts() {
    }

    static String shown(String input) {
        if (input == null) {
            return "";
        }
        String s = input.length() > 60 ? input.substring(0, 60) + "..." : input;
        return s.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
