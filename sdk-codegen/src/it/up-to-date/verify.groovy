def log = new File(basedir, 'build.log').text
def generated = (log =~ /Tollgate: generated \d+ files/).count
def upToDate = (log =~ /Tollgate: generated sources are up to date/).count
assert generated == 3 : "expected 3 generating runs, found " + generated
assert upToDate == 2 : "expected the 2nd and 5th runs to skip, found " + upToDate
// Every file carries the schema hash, so a schema change rewrites them all.
def full = (log =~ /Tollgate: generated 10 files from src\/main\/tollgate\/schema.graphql \(10 written, 0 unchanged, 0 deleted\)/).count
assert full == 2 : "expected the 1st and 3rd runs to write every file, found " + full
assert log.contains('Tollgate: generated 9 files from src/main/tollgate/schema.graphql (0 written, 9 unchanged, 1 deleted)')

def main = new File(basedir, 'target/generated-sources/tollgate/com/acme/flags')
assert new File(main, 'Entitlements.java').text.contains('public int maxProjects(int fallback)')
assert !new File(basedir, 'target/generated-test-sources/tollgate/com/acme/flags/TollgateExtension.java').exists()
assert new File(basedir, 'target/test-classes/com/acme/flags/TollgateTestKit.class').isFile()
return true
