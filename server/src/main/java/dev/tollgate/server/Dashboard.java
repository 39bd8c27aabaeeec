package dev.tollgate.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Serves the dashboard: static HTML, CSS and JavaScript modules from the classpath ({@code dashboard/} next to this
 * class), at {@code /} and {@code /dashboard/{file}}. The page talks to the admin API with a token in the
 * {@code Authorization} header, or, for a person signed in through OpenID Connect, with the session cookie ({@code
 * SameSite=Strict}) plus the {@code Tollgate-CSRF} header that a cross-site request cannot send (see {@link
 * OidcSignIn}); without OpenID Connect the server sets and accepts no cookie at all. Every answer forbids framing and
 * sniffing ({@link #secure(Call)}).
 */
final class Dashboard {
    /** The page's policy: only this origin's files, no inline script or style, no framing, no plugins. */
    static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** Every other answer is data, never a document: nothing may load from it or frame it. */
    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

    private static final Pattern FILE = Pattern.compile("[a-z][a-z0-9-]*\\.(html|css|js|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml");

    void register(Router r) {
        r.add("GET", "/", Router.Access.PUBLIC, call -> file(call, "index.html"));
        r.add("GET", "/dashboard", Router.Access.PUBLIC, call -> file(call, "index.html"));
        r.add("GET", "/dashboard/{file}", Router.Access.PUBLIC, call -> file(call, call.param("file")));
    }

    /** Headers on every answer, API or page: no framing, no MIME sniffing, no referrer, a restrictive policy. */
    static void secure(Call call) {
        call.setHeader("X-Frame-Options", "DENY");
        call.setHeader("X-Content-Type-Options", "nosniff");
        call.setHeader("Referrer-Policy", "no-referrer");
        call.setHeader("Content-Security-Policy", API_POLICY);
    }

    private static void file(Call call, String name) throws IOException {
        if (!FILE.matcher(name).matches()) {
            throw ApiException.notFound("no such dashboard file: " + name);
        }
        byte[] body;
        try (InputStream in = Dashboard.class.getResourceAsStream("dashboard/" + name)) {
            if (in == null) {
                throw ApiException.notFound("no such dashboard file: " + name);
            }
            body = in.readAllBytes();
        }
        call.setHeader("Content-Security-Policy", PAGE_POLICY);
        call.setHeader("Cache-Control", "no-cache");
        call.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        call.bytes(200, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), body);
    }
}
