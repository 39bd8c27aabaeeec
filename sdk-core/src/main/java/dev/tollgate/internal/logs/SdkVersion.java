package dev.tollgate.internal.logs;

/** The SDK's version, as reported to servers. */
final class SdkVersion {
    static final String VERSION = version();

    private SdkVersion() {}

    private static String version() {
        String version = SdkVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
