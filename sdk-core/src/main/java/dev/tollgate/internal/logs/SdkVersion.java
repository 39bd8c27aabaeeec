package dev.tollgate.internal.logs;

/** The SDK's version, as reported to servers. */
public final class SdkVersion {
    public static final String VERSION = version();

    /** The {@code User-Agent} every request of the SDK carries. */
    public static final String USER_AGENT = "tollgate-java/" + VERSION;

    private SdkVersion() {}

    private static String version() {
        String version = SdkVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
