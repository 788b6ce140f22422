package cloud.hop3.api.access;

/**
 * A token just created, with its secret: the one time the secret is known to the platform in
 * clear. Show it to the user, never store or log it.
 *
 * @param token  the token as {@link AccessService#tokens} lists it
 * @param secret what the user presents
 */
public record NewToken(Token token, String secret) {

    @Override
    public String toString() {
        return "NewToken[" + token + ", secret hidden]";
    }
}
