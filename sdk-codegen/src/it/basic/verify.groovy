// The sources were generated into the default directories, compiled, and the test using the test kit ran.
def main = new File(basedir, 'target/generated-sources/tollgate/com/acme/flags')
def test = new File(basedir, 'target/generated-test-sources/tollgate/com/acme/flags')
['Tollgate', 'TollgateSupport', 'Root', 'Entitlements', 'Context', 'Organization', 'User', 'Plan'].each {
    assert new File(main, it + '.java').isFile() : "missing generated class " + it
}
['TollgateTestKit', 'TollgateExtension'].each {
    assert new File(test, it + '.java').isFile() : "missing generated test kit class " + it
}
assert new File(basedir, 'target/classes/com/acme/flags/Entitlements.class').isFile()
assert new File(basedir, 'target/test-classes/com/acme/flags/TollgateTestKit.class').isFile()

def entitlements = new File(main, 'Entitlements.java').text
assert entitlements.contains('public int maxTeamSize(int fallback)')
assert entitlements.contains('public int maxApiRequestsPerDay(String endpoint, int fallback)')
assert entitlements.contains('@Generated(')

def log = new File(basedir, 'build.log').text
assert log.contains('Tollgate: generated 10 files from src/main/tollgate/schema.graphql')
assert log.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0')
return true
