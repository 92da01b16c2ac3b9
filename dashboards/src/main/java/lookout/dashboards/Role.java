package lookout.dashboards;

import java.util.Arrays;
import java.util.Optional;

/** Who may see what. Anyone without a token is the public; outreach and analysts log in with a bearer token. */
public enum Role {
    /** No login: public-tier status and the public alert view. */
    PUBLIC("public"),
    /** Alerts and series for the areas in the user's profile. */
    OUTREACH("outreach"),
    /** Every restricted table. */
    ANALYST("analyst");

    private final String code;

    Role(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The roles a users file may name: the public has no account. */
    public static Optional<Role> ofAccount(String code) {
        return Arrays.stream(values()).filter(r -> r != PUBLIC && r.code.equals(code)).findFirst();
    }
}
