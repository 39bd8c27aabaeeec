import java.util.jar.JarFile

def log = new File(basedir, 'build.log').text
assert log.contains('Tollgate: embedded snapshot src/main/tollgate/snapshot.json (revision 40) as com/acme/flags/tollgate-snapshot.json')
assert log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0')
// The second build found generation up to date but staged the lost snapshot again.
assert log.contains('Tollgate: generated sources are up to date')
assert log.contains('Tollgate: staged the embedded snapshot src/main/tollgate/snapshot.json again as com/acme/flags/tollgate-snapshot.json')
assert new File(basedir, 'target/generated-resources/tollgate/com/acme/flags/tollgate-snapshot.json').isFile()
assert new File(basedir, 'target/classes/com/acme/flags/tollgate-snapshot.json').isFile()
def jar = new JarFile(new File(basedir, 'target/embedded-snapshot-1.0.jar'))
try {
    assert jar.getEntry('com/acme/flags/tollgate-snapshot.json') != null : 'the snapshot is packaged with the classes'
    assert jar.getEntry('com/acme/flags/Tollgate.class') != null
} finally {
    jar.close()
}
return true
