package io.chat.common.logging;

import java.util.regex.Pattern;

/**
 * Finds credentials in text bound for a log: an application's secret token (the path segment after
 * /applications/), an access_token query parameter, a bearer credential and anything shaped like a
 * JWT. The same rules as NGINX's logs (nginx/chat-http.conf, nginx/redact.awk).
 */
public final class Secrets {

    private static final Pattern APPLICATION_TOKEN = Pattern.compile("(?i)(/applications/)[^/?;\\s\"']+");
    private static final Pattern ACCESS_TOKEN = Pattern.compile("(?i)(access_token=)[^&;\\s\"']+");
    private static final Pattern BEARER = Pattern.compile("(?i)(Bearer\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");

    private Secrets() {
    }

    /** {@code text} with every credential replaced; the same string when it holds none. */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String redacted = APPLICATION_TOKEN.matcher(text).replaceAll("$1<token>");
        redacted = ACCESS_TOKEN.matcher(redacted).replaceAll("$1<redacted>");
        redacted = BEARER.matcher(redacted).replaceAll("$1<redacted>");
        return JWT.matcher(redacted).replaceAll("<jwt>");
    }
}
