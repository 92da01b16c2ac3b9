package lookout.dashboards;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import lookout.kernel.AreaId;
import lookout.kernel.Sha256;
import lookout.kernel.UsageException;

/**
 * The users file: one line per user, {@code NAME ROLE SHA256-OF-TOKEN [AREA,AREA,...]}, blank lines and lines
 * starting with {@code #} ignored. Tokens are 32 random bytes, so a plain SHA-256 cannot be reversed by guessing;
 * a slow hash (PBKDF2) protects low-entropy passwords, which this file never holds. The token itself is printed
 * once by {@code users add} and stored nowhere.
 */
public final class Users {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final Map<String, User> byHash;

    private Users(Map<String, User> byHash) {
        this.byHash = byHash;
    }

    /** No accounts: only the public tier is served. */
    public static Users none() {
        return new Users(Map.of());
    }

    public static Users read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot read users file " + file + ": " + e.getMessage());
        }
        Map<String, User> byHash = new HashMap<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            User u = parse(line, file + ":" + (i + 1));
            if (!names.add(u.name()) || byHash.putIfAbsent(u.tokenHash(), u) != null) {
                throw new UsageException(file + ":" + (i + 1) + ": user " + u.name() + " or its token appears twice");
            }
        }
        return new Users(byHash);
    }

    private static User parse(String line, String where) {
        String[] f = line.split("\\s+");
        if (f.length < 3 || f.length > 4) {
            throw new UsageException(where + ": expected NAME ROLE TOKEN-SHA256 [AREAS]");
        }
        if (!NAME.matcher(f[0]).matches()) {
            throw new UsageException(where + ": a name is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        Role role = Role.ofAccount(f[1]).orElseThrow(() -> new UsageException(where + ": role must be outreach or analyst"));
        if (!HASH.matcher(f[2]).matches()) {
            throw new UsageException(where + ": the token hash must be 64 lowercase hex digits (SHA-256)");
        }
        return new User(f[0], role, f[2], f.length == 4 ? areas(f[3], where) : Set.of());
    }

    static Set<String> areas(String list, String where) {
        Set<String> areas = new LinkedHashSet<>();
        for (String a : list.split(",")) {
            if (!AreaId.isValid(a)) {
                throw new UsageException(where + ": areas are comma-separated area ids, each " + AreaId.RULE);
            }
            areas.add(a);
        }
        return Collections.unmodifiableSet(areas);
    }

    /**
     * Every outreach account's profile by account name, in name order: the areas whose counts it sees, which the
     * open data's suppression must treat as known to it.
     */
    public Map<String, Set<String>> outreachProfiles() {
        Map<String, Set<String>> profiles = new TreeMap<>();
        for (User u : byHash.values()) {
            if (u.role() == Role.OUTREACH) {
                profiles.put(u.name(), u.areas());
            }
        }
        return profiles;
    }

    /** The user holding {@code token}, if any. */
    public Optional<User> byToken(String token) {
        return Optional.ofNullable(byHash.get(hash(token)));
    }

    /** Appends a user with a new random token to {@code file} (created if absent) and returns the token. */
    public static String add(Path file, String name, Role role, Set<String> areas) {
        if (Files.exists(file) && read(file).byHash.values().stream().anyMatch(u -> u.name().equals(name))) {
            throw new UsageException("user " + name + " is already in " + file);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String line = name + " " + role.code() + " " + hash(token) + (areas.isEmpty() ? "" : " " + String.join(",", areas));
        try {
            // A file edited by hand may lack its last newline; appending straight after it would merge two accounts.
            String separator = endsWithoutNewline(file) ? "\n" : "";
            Files.writeString(file, separator + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UsageException("cannot write users file " + file);
        }
        return token;
    }

    private static boolean endsWithoutNewline(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            return false;
        }
        byte[] bytes = Files.readAllBytes(file);
        return bytes[bytes.length - 1] != '\n';
    }

    static String hash(String token) {
        return HexFormat.of().formatHex(Sha256.of(token.getBytes(StandardCharsets.UTF_8)));
    }
}
