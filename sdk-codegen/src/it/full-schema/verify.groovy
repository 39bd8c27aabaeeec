def main = new File(basedir, 'target/generated-sources/tollgate/com/acme/inkwell/flags')
assert new File(main, 'Inkwell.java').isFile()
assert new File(main, 'Flags.java').isFile() : 'typeNames maps Root to Flags'
assert !new File(main, 'Root.java').exists()
def documents = new File(main, 'Documents.java').text
assert documents.contains('Largest attachment, in megabytes.') : 'descriptions become Javadoc'
assert documents.contains('public double storageGb(Region region, double fallback)')
assert documents.contains('public List<ExportFormat> exportFormats(List<ExportFormat> fallback)')
assert new File(main, 'Ai.java').text.contains('@Deprecated')
def inkwell = new File(main, 'Inkwell.java').text
assert inkwell.contains('sha256:c144c00bbe6b7e91db3f6630b3a42fe35c6b601f14ac26831d714bb5eb384a4f')

def log = new File(basedir, 'build.log').text
assert log.contains('Tollgate: generated 19 files from src/main/tollgate/context.graphql, src/main/tollgate/entitlements.graphql')
assert log.contains('Tollgate: src/test/resources/inkwell-snapshot.json is valid (revision 3)')
assert log.contains('Tests run: 8, Failures: 0, Errors: 0, Skipped: 0')
return true
