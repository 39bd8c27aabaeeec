package dev.tollgate.internal.source;

import dev.tollgate.ServerOptions;
import dev.tollgate.internal.logs.SdkVersion;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * How the client talks to a Tollgate server, shared by the snapshot source, the log sink and the usage feed: the
 * server's timeouts on the application's (or the client's) OkHttp client, endpoint URLs with the environment asked
 * for, and requests carrying the token, the user agent and the schema hash.
 */
public final class ServerHttp {
    /** The header that tells the server which schema the client was generated from. */
    public static final String SCHEMA_HEADER = "Tollgate-Schema-Hash";

    private ServerHttp() {}

    /** {@code http} with the server's connect, read and call timeouts; it shares its connection pool and dispatcher. */
    public static OkHttpClient timed(OkHttpClient http, ServerOptions server) {
        return http.newBuilder()
                .connectTimeout(server.connectTimeout())
                .readTimeout(server.readTimeout())
                .callTimeout(server.callTimeout())
                .build();
    }

    /** {@code <baseUrl>/<path>}, with {@code ?environment=} when the options name one. */
    public static HttpUrl endpoint(ServerOptions server, String path) {
        HttpUrl.Builder url = HttpUrl.get(server.baseUrl()).newBuilder().addPathSegments(path);
        if (server.environment() != null) {
            url.addQueryParameter("environment", server.environment());
        }
        return url.build();
    }

    /** A request to {@code url} with the token, the user agent and the client's schema hash. */
    public static Request.Builder request(HttpUrl url, ServerOptions server, String schemaHash) {
        return new Request.Builder()
                .url(url)
                .header("Authorization", "Bearer " + server.token())
                .header("User-Agent", SdkVersion.USER_AGENT)
                .header(SCHEMA_HEADER, schemaHash);
    }
}
