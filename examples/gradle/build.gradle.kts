// A Gradle build that generates Tollgate's typed accessors with the command-line generator, the way the Maven plugin
// does for a Maven build. Tollgate ships no Gradle plugin; see docs/gradle.md.
plugins {
    java
    application
}

repositories {
    mavenCentral()
    mavenLocal { content { includeGroup("dev.tollgate") } } // for a Tollgate built from source with `mvn install`
}

val tollgateVersion = "0.1.0-SNAPSHOT"

// The generator's self-contained command-line jar, kept off the application's class path.
val tollgateCodegen: Configuration by configurations.creating

dependencies {
    implementation("dev.tollgate:tollgate-sdk-core:$tollgateVersion")
    tollgateCodegen("dev.tollgate:tollgate-codegen:$tollgateVersion:cli") { isTransitive = false }
    // The generated test kit's JUnit 5 extension needs JUnit; tollgate-testing leaves its version to you.
    testImplementation("dev.tollgate:tollgate-testing:$tollgateVersion")
    testImplementation(platform("org.junit:junit-bom:5.11.4"))
    testImplementation("org.junit.jupiter:junit-jupiter")
    testRuntimeOnly("org.junit.platform:junit-platform-launcher")
}

tasks.withType<JavaCompile>().configureEach { options.release.set(17) }

tasks.test { useJUnitPlatform() }

val generateTollgate by tasks.registering(JavaExec::class) {
    description = "Generates the typed Tollgate accessors and test kit from src/main/tollgate"
    classpath = tollgateCodegen
    mainClass.set("dev.tollgate.codegen.cli.Main")
    // tollgate-generate-args: begin
    args(
        "generate",
        "--schema", "src/main/tollgate",
        "--package", "com.example.teams.flags",
        "--output", "build/generated/sources/tollgate/main/java",
        "--test-kit-output", "build/generated/sources/tollgate/test/java",
        "--build-time-snapshot-resource", "com/example/teams/flags/tollgate-snapshot.json",
    )
    // tollgate-generate-args: end
    inputs.dir("src/main/tollgate")
    outputs.dir("build/generated/sources/tollgate")
}

sourceSets {
    main { java.srcDir(files("build/generated/sources/tollgate/main/java").builtBy(generateTollgate)) }
    test { java.srcDir(files("build/generated/sources/tollgate/test/java").builtBy(generateTollgate)) }
}

application {
    mainClass.set("com.example.teams.App")
}
