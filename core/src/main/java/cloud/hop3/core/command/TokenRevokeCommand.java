package cloud.hop3.core.command;

import java.util.NoSuchElementException;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.access.Token;

@Command(scope = "token", name = "revoke", description = "Revokes one of your API tokens (an admin: anyone's): it is refused from now on.")
@Service
public class TokenRevokeCommand extends GuardedAction {

    @Argument(index = 0, name = "id", required = true, description = "The token's id, as token:list shows it.")
    private String id;

    @Override
    Permission permission() {
        return Permission.READ;
    }

    @Override
    Object run() {
        Token found = access.tokens(Optional.empty()).stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("There is no token '" + id + "'; token:list shows your tokens."));
        access.checkTokensOf(found.user());
        Token token = access.revokeToken(id);
        System.out.println("Token " + token.id() + " of user " + token.user() + " revoked.");
        return null;
    }
}
