def log = new File(basedir, 'build.log').text
def generated = (log =~ /Tollgate: generated \d+ files/).count
def upToDate = (log =~ /Tollgate: generated sources are up to date/).count
// Two executions, com.acme.flags and com.acme.ops, write into the same default output directories.
assert generated == 6 : "expected 3 generating runs of each execution, found " + generated
assert upToDate == 4 : "expected the 2nd and 5th runs of each execution to skip, found " + upToDate
// Every file carries the schema hash, so a schema change rewrites them all; neither execution deletes the other's files.
def full = (log =~ /Tollgate: generated 9 files from src\/main\/tollgate\/schema.graphql \(9 written, 0 unchanged, 0 deleted\)/).count
assert full == 4 : "expected the 1st and 3rd runs of each execution to write every file, found " + full
def dropped = (log =~ /Tollgate: generated 8 files from src\/main\/tollgate\/schema.graphql \(0 written, 8 unchanged, 1 deleted\)/).count
assert dropped == 2 : "expected the 4th run of each execution to delete its own extension, found " + dropped

for (pkg in ['flags', 'ops']) {
    def main = new File(basedir, "target/generated-sources/tollgate/com/acme/${pkg}")
    assert new File(main, 'Entitlements.java').text.contains('public int maxProjects(int fallback)')
    assert new File(main, 'Tollgate.java').isFile()
    assert !new File(basedir, "target/generated-test-sources/tollgate/com/acme/${pkg}/TollgateExtension.java").exists()
    assert new File(basedir, "target/test-classes/com/acme/${pkg}/TollgateTestKit.class").isFile()
}
return true
